package dev.kappa.bank.account;

import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One row of the {@code account_summary} read model. */
@Schema(description = "An account in the list of accounts.",
        requiredProperties = {"accountId", "owner", "currency", "balance", "status", "version"})
@Table("account_summary")
public record AccountSummary(@Id String accountId, String owner, String currency, long balance, String status,
                             long version) {
}
