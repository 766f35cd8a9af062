package dev.kappa.boot.autoconfigure.bank;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

@Table("account_summary")
record AccountSummary(@Id String accountId, String owner, long balance, long version) {
}
