package dev.kappa.bank.account;

import java.time.Instant;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.Repository;

/** The {@code account_transactions} read model, newest first, a page at a time. */
public interface AccountTransactionRepository extends Repository<AccountTransaction, Long> {

    Page<AccountTransaction> findByAccountIdOrderByOffsetDesc(String accountId, Pageable page);

    @Modifying
    @Query("""
            INSERT INTO account_transactions (log_offset, account_id, kind, amount, transfer_id, recorded_at)
            VALUES (:offset, :accountId, :kind, :amount, :transferId, :recordedAt)""")
    void record(long offset, String accountId, String kind, long amount, String transferId, Instant recordedAt);

    /** Removes the movements made by events after {@code offset}: all of them for 0. */
    @Modifying
    @Query("DELETE FROM account_transactions WHERE log_offset > :offset")
    void removeAfter(long offset);
}
