package dev.kappa.bank.account;

import dev.kappa.eventstore.EventType;

/** What happened to accounts. Every event names its account; amounts are in minor units. */
public final class AccountEvents {

    private AccountEvents() {
    }

    /** All of an account's events: projections that follow balances handle this interface's cases. */
    public sealed interface AccountEvent permits AccountOpened, MoneyDeposited, MoneyWithdrawn, AccountFrozen,
            AccountUnfrozen, AccountClosed, MoneyDebitedForTransfer, MoneyCreditedByTransfer, TransferRefunded {
        String accountId();
    }

    @EventType("AccountOpened")
    public record AccountOpened(String accountId, String owner, String currency) implements AccountEvent {
    }

    @EventType("MoneyDeposited")
    public record MoneyDeposited(String accountId, long amount) implements AccountEvent {
    }

    @EventType("MoneyWithdrawn")
    public record MoneyWithdrawn(String accountId, long amount) implements AccountEvent {
    }

    @EventType("AccountFrozen")
    public record AccountFrozen(String accountId) implements AccountEvent {
    }

    @EventType("AccountUnfrozen")
    public record AccountUnfrozen(String accountId) implements AccountEvent {
    }

    @EventType("AccountClosed")
    public record AccountClosed(String accountId) implements AccountEvent {
    }

    @EventType("MoneyDebitedForTransfer")
    public record MoneyDebitedForTransfer(String accountId, String transferId, String toAccountId, long amount,
                                          String currency) implements AccountEvent {
    }

    @EventType("MoneyCreditedByTransfer")
    public record MoneyCreditedByTransfer(String accountId, String transferId, String fromAccountId, long amount)
            implements AccountEvent {
    }

    @EventType("TransferRefunded")
    public record TransferRefunded(String accountId, String transferId, long amount, String reason)
            implements AccountEvent {
    }
}
