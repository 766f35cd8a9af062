package dev.kappa.bank.account;

import dev.kappa.framework.TargetAggregateId;

/** What can be asked of an account. Amounts are in minor units (cents) of the account's currency. */
public final class AccountCommands {

    private AccountCommands() {
    }

    public record OpenAccount(@TargetAggregateId String accountId, String owner, String currency) {
    }

    public record Deposit(@TargetAggregateId String accountId, long amount, String currency) {
    }

    public record Withdraw(@TargetAggregateId String accountId, long amount, String currency) {
    }

    public record Freeze(@TargetAggregateId String accountId) {
    }

    public record Unfreeze(@TargetAggregateId String accountId) {
    }

    public record Close(@TargetAggregateId String accountId) {
    }

    /** The first step of a transfer: money leaves the source account. */
    public record DebitForTransfer(@TargetAggregateId String accountId, String transferId, String toAccountId,
                                   long amount, String currency) {
    }

    /** The second step: money reaches the target account. */
    public record CreditForTransfer(@TargetAggregateId String accountId, String transferId, String fromAccountId,
                                    long amount, String currency) {
    }

    /** A transfer whose credit failed gives the money back to its source. */
    public record RefundTransfer(@TargetAggregateId String accountId, String transferId, long amount, String reason) {
    }
}
