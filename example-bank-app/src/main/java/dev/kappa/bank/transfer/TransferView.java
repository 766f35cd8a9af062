package dev.kappa.bank.transfer;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One transfer in the {@code transfers} read model. */
@Table("transfers")
public record TransferView(@Id String transferId, String fromAccountId, String toAccountId, long amount,
                           String currency, String status, String reason) {
}
