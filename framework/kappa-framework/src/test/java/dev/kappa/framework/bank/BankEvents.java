package dev.kappa.framework.bank;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventType;

/** The sample bank's commands and events. */
public final class BankEvents {

    private BankEvents() {
    }

    public sealed interface AccountEvent permits AccountOpened, MoneyDeposited, MoneyWithdrawn, AccountClosed {
    }

    @EventType("AccountOpened")
    public record AccountOpened(String accountId, String owner) implements AccountEvent {
    }

    @EventType("MoneyDeposited")
    public record MoneyDeposited(String accountId, long amount) implements AccountEvent {
    }

    @EventType("MoneyWithdrawn")
    public record MoneyWithdrawn(String accountId, long amount) implements AccountEvent {
    }

    @EventType("AccountClosed")
    public record AccountClosed(String accountId) implements AccountEvent {
    }

    public static EventCodec codec() {
        return EventCodec.builder().register(AccountEvent.class).build();
    }
}
