package dev.kappa.projections.internal.runtime;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.StoreOutage;

/**
 * What one status request learns from the database: it is asked until it fails to answer once, and not at all while
 * a worker here already knows that it does not (each failed attempt costs the pool's connection timeout).
 *
 * <p>Not thread-safe: one per request.
 */
final class DatabaseLook {

    private final Clock clock;
    private final EventReader reader;
    private final AtomicLong lastHead;
    private StoreOutage outage;
    private Long head;

    /**
     * @param knownOutage the outage a worker here already waits out, or null
     * @param lastHead    the log's head as last read, shared by every request: what they show while the database does
     *                    not answer
     */
    DatabaseLook(StoreOutage knownOutage, Clock clock, EventReader reader, AtomicLong lastHead) {
        this.outage = knownOutage;
        this.clock = clock;
        this.reader = reader;
        this.lastHead = lastHead;
    }

    long head() {
        if (head == null) {
            ask(reader::head).ifPresent(lastHead::set);
            head = lastHead.get();
        }
        return head;
    }

    /** The answer, or empty if the database does not answer (then {@link #outage()} says why). */
    <T> Optional<T> ask(Supplier<T> query) {
        if (outage != null) {
            return Optional.empty();
        }
        try {
            return Optional.of(query.get());
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            outage = new StoreOutage(clock.instant(), DatabaseFailures.describe(e));
            return Optional.empty();
        }
    }

    StoreOutage outage() {
        return outage;
    }
}
