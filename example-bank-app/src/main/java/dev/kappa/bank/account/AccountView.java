package dev.kappa.bank.account;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An account as the hot read path serves it, from memory.
 *
 * @param accountId the account
 * @param owner     who owns it
 * @param currency  its currency
 * @param balance   its balance, in minor units
 * @param status    OPEN, FROZEN or CLOSED
 * @param version   the version of the account's stream these figures include
 */
@Schema(description = "An account, from memory.",
        requiredProperties = {"accountId", "owner", "currency", "balance", "status", "version"})
public record AccountView(String accountId, String owner, String currency, long balance, String status,
                          long version) {

    AccountView withBalance(long newBalance, long newVersion) {
        return new AccountView(accountId, owner, currency, newBalance, status, newVersion);
    }

    AccountView withStatus(String newStatus, long newVersion) {
        return new AccountView(accountId, owner, currency, balance, newStatus, newVersion);
    }
}
