package dev.kappa.bank.account;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

/** The {@code account_summary} read model, written by {@link AccountSummaryProjection} in its transactions. */
public interface AccountSummaryRepository extends ListCrudRepository<AccountSummary, String>,
        PagingAndSortingRepository<AccountSummary, String> {

    @Modifying
    @Query("""
            INSERT INTO account_summary (account_id, owner, currency, balance, status, version)
            VALUES (:accountId, :owner, :currency, 0, 'OPEN', :version)""")
    void open(String accountId, String owner, String currency, long version);

    @Modifying
    @Query("UPDATE account_summary SET balance = balance + :delta, version = :version WHERE account_id = :accountId")
    void move(String accountId, long delta, long version);

    @Modifying
    @Query("UPDATE account_summary SET status = :status, version = :version WHERE account_id = :accountId")
    void status(String accountId, String status, long version);

    @Modifying
    @Query("DELETE FROM account_summary")
    void clear();
}
