package dev.kappa.eventstore;

import java.time.Duration;
import java.util.Optional;

/**
 * A running subscription to the log: it catches up from its start offset, then follows new appends as they commit.
 *
 * <p>Thread-safe. Closing it stops delivery after the batch in hand.
 */
public interface Subscription extends AutoCloseable {

    /** The offset of the last record handed to the handler (the start offset before the first batch). */
    long position();

    /**
     * Whether it is still delivering: not closed and not failed. A subscription waiting out a database outage is
     * running: it resumes by itself (see {@link #outage()}).
     */
    boolean isRunning();

    /** Why it stopped, if its handler threw. */
    Optional<Throwable> failure();

    /**
     * While it cannot read the log because the database does not answer: since when, and the last error. It keeps
     * trying every poll interval, however long the outage lasts, and goes on from its position when the database
     * answers again; this is then empty again.
     */
    Optional<StoreOutage> outage();

    /**
     * Waits until the subscription has delivered {@code offset} or more, or the timeout passes, or it stops.
     *
     * @return whether it reached {@code offset}
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    boolean awaitPosition(long offset, Duration timeout) throws InterruptedException;

    /** Stops the subscription, waiting for the batch in hand to finish. */
    @Override
    void close();
}
