package dev.kappa.benchmarks;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventType;

/** The events of a bank account, as the workload defines them. Amounts are whole cents. */
sealed interface AccountEvent permits AccountEvent.AccountOpened, AccountEvent.MoneyDeposited,
        AccountEvent.MoneyWithdrawn {

    /** The codec for every event the benchmark stores. */
    static EventCodec codec() {
        return EventCodec.builder().register(AccountEvent.class).build();
    }

    /** An account was opened; the workload opens every account with a balance of 0. */
    @EventType("AccountOpened")
    record AccountOpened(String accountId, String owner, long openingBalance) implements AccountEvent {
    }

    /** Money came in. */
    @EventType("MoneyDeposited")
    record MoneyDeposited(long amount) implements AccountEvent {
    }

    /** Money went out; the balance covered it. */
    @EventType("MoneyWithdrawn")
    record MoneyWithdrawn(long amount) implements AccountEvent {
    }
}
