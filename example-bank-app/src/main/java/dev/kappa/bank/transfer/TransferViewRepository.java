package dev.kappa.bank.transfer;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** The {@code transfers} read model. */
public interface TransferViewRepository extends ListCrudRepository<TransferView, String> {

    @Modifying
    @Query("""
            INSERT INTO transfers (transfer_id, from_account_id, to_account_id, amount, currency, status)
            VALUES (:transferId, :from, :to, :amount, :currency, 'REQUESTED')""")
    void requested(String transferId, String from, String to, long amount, String currency);

    @Modifying
    @Query("UPDATE transfers SET status = :status, reason = :reason WHERE transfer_id = :transferId")
    void status(String transferId, String status, String reason);

    @Modifying
    @Query("DELETE FROM transfers")
    void clear();
}
