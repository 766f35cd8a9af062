package dev.kappa.bank.account;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One row of the {@code account_summary} read model. */
@Table("account_summary")
public record AccountSummary(@Id String accountId, String owner, String currency, long balance, String status,
                             long version) {
}
