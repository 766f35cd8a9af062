package dev.kappa.boot.autoconfigure.bank;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.CrudRepository;

interface AccountSummaryRepository extends CrudRepository<AccountSummary, String> {

    @Modifying
    @Query("INSERT INTO account_summary (account_id, owner, balance, version) VALUES (:id, :owner, 0, :version)")
    void open(String id, String owner, long version);

    @Modifying
    @Query("UPDATE account_summary SET balance = balance + :amount, version = :version WHERE account_id = :id")
    void deposit(String id, long amount, long version);

    @Modifying
    @Query("DELETE FROM account_summary")
    void clear();
}
