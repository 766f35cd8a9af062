package dev.kappa.projections;

import java.util.Map;
import java.util.TreeMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kappa.projections.TestEvents.AccountEvent;
import dev.kappa.projections.TestEvents.MoneyDeposited;
import dev.kappa.projections.TestEvents.MoneyWithdrawn;

/**
 * The bank's balances in a Caffeine cache, rebuilt from the log on every start, in two segments. One handler takes
 * the sealed interface of all account events.
 */
@Projection(value = "memory-balances", inMemory = true, segments = 2)
class InMemoryBalances {

    /** Balance and version per account. */
    final Cache<String, Balance> balances = Caffeine.newBuilder().build();
    private final Gate gate;
    private final long holdAt;

    InMemoryBalances(Gate gate, long holdAt) {
        this.gate = gate;
        this.holdAt = holdAt;
    }

    InMemoryBalances() {
        this(new Gate(), -1);
    }

    @EventHandler
    void on(AccountEvent event, EventContext context) {
        long delta = 0;
        if (event instanceof MoneyDeposited deposited) {
            delta = deposited.amount();
        } else if (event instanceof MoneyWithdrawn withdrawn) {
            delta = -withdrawn.amount();
        }
        balances.asMap().merge(context.streamId(), new Balance(delta, context.streamVersion()),
                (old, change) -> new Balance(old.balance() + change.balance(), change.version()));
        if (context.offset() == holdAt) {
            gate.pass();
        }
    }

    /** The cache as a sorted map. */
    Map<String, Balance> snapshot() {
        return new TreeMap<>(balances.asMap());
    }

    record Balance(long balance, long version) {
    }
}
