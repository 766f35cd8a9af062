package dev.kappa.framework.bank;

import dev.kappa.framework.TargetAggregateId;

/** The sample bank's commands. */
public final class BankCommands {

    private BankCommands() {
    }

    public record OpenAccount(@TargetAggregateId String accountId, String owner) {
    }

    public record Deposit(@TargetAggregateId String accountId, long amount) {
    }

    public record Withdraw(@TargetAggregateId String accountId, long amount) {
    }

    /** Takes money out in two steps: a withdrawal and, if the account is then empty, its closing. */
    public record WithdrawAllAndClose(@TargetAggregateId String accountId) {
    }

    /** Decides nothing when the account is already closed. */
    public record Close(@TargetAggregateId String accountId) {
    }
}
