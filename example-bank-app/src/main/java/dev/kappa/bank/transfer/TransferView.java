package dev.kappa.bank.transfer;

import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One transfer in the {@code transfers} read model. */
@Schema(description = "A transfer and where it stands.",
        requiredProperties = {"transferId", "fromAccountId", "toAccountId", "amount", "currency", "status"})
@Table("transfers")
public record TransferView(@Id String transferId, String fromAccountId, String toAccountId, long amount,
                           String currency, String status, String reason) {
}
