package dev.kappa.projections.internal.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.StoreOutage;
import dev.kappa.projections.RetryPolicy;
import dev.kappa.projections.internal.segment.SegmentKey;

/**
 * How a worker rides out a database that does not answer (or is in the way: a deadlock, a lock timeout): it reports
 * the first failure once, says so in its status while the database is unreachable, and pauses between attempts with
 * a back-off that grows up to a few seconds, however long it takes. The first answer ends the outage.
 *
 * <p>Thread-safe for {@link #current()}, read by status readers; everything else runs on the worker's thread.
 */
final class OutageBackoff {

    private static final Logger log = LoggerFactory.getLogger(OutageBackoff.class);
    /** The longest pause between attempts when the database is unreachable. */
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    /** Even without back-off, a dead database must not be hammered in a tight loop. */
    private static final Duration MIN_PAUSE = Duration.ofMillis(10);

    private final SegmentKey key;
    private final RetryPolicy retry;
    private final Clock clock;
    private final WorkerEvents events;
    private int failures;
    private volatile StoreOutage outage;

    OutageBackoff(SegmentKey key, RetryPolicy retry, Clock clock, WorkerEvents events) {
        this.key = key;
        this.retry = retry;
        this.clock = clock;
        this.events = events;
    }

    /**
     * The worker could not do {@code action}: reports it, marks an outage if the database cannot be reached.
     *
     * @return how long to pause before the next attempt
     */
    Duration failed(Throwable cause, String action) {
        failures++;
        String error = "could not " + action + ": " + DatabaseFailures.describe(cause);
        StoreOutage current = outage;
        if (current == null && failures == 1) {
            log.warn("{}: {}; retrying until the database answers", key, error);
        } else {
            log.debug("{}: {} (attempt {})", key, error, failures);
        }
        if (current != null) {
            outage = new StoreOutage(current.since(), error);
        } else if (DatabaseFailures.isUnavailable(cause)) {
            // a deadlock or a lock timeout is retried alike, but the database answers: only this is an outage
            outage = new StoreOutage(clock.instant(), error);
            events.changed(key);
        }
        Duration delay = retry.delayBefore(Math.min(failures, 30));
        delay = delay.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : delay;
        return delay.compareTo(MIN_PAUSE) < 0 ? MIN_PAUSE : delay;
    }

    /** The database answered: the back-off starts afresh, and an outage is over. */
    void answered(long checkpoint) {
        failures = 0;
        StoreOutage ended = outage;
        if (ended != null) {
            outage = null;
            log.info("{}: the database answers again (it did not since {}); resuming at checkpoint {}", key,
                    ended.since(), checkpoint);
            events.changed(key);
        }
    }

    /** Since when, and why, the database does not answer, while it does not. */
    Optional<StoreOutage> current() {
        return Optional.ofNullable(outage);
    }
}
