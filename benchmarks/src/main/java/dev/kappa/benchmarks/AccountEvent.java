package dev.kappa.benchmarks;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventType;

/**
 * The events of a bank account, as the workload defines them (amounts are whole cents), and beside them the account
 * holders' profiles, which only the compaction phase writes.
 */
sealed interface AccountEvent permits AccountEvent.AccountOpened, AccountEvent.MoneyDeposited,
        AccountEvent.MoneyWithdrawn, AccountEvent.ProfileChanged {

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

    /**
     * A holder's contact details, recorded whole each time they change: only the latest matters, so the record carries
     * a compaction key (the compaction phase's, beyond the workload).
     *
     * @param accountId the account the holder belongs to
     * @param holder    the holder's number within the account, from 0
     * @param revision  how many times the holder's profile was recorded before this one
     * @param email     the holder's address
     */
    @EventType("ProfileChanged")
    record ProfileChanged(String accountId, int holder, int revision, String email) implements AccountEvent {
    }
}
