package dev.kappa.bank.account;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;

/** One movement of money in the {@code account_transactions} read model; its id is its event's log offset. */
@Schema(description = "One movement of money on an account.",
        requiredProperties = {"offset", "accountId", "kind", "amount", "recordedAt"})
@Table("account_transactions")
public record AccountTransaction(@Id @Column("log_offset") long offset, String accountId, String kind, long amount,
                                 String transferId, Instant recordedAt) {
}
