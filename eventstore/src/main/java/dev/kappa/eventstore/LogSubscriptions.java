package dev.kappa.eventstore;

import java.time.Duration;

/**
 * Follows the log as it grows. New appends wake followers at once through PostgreSQL {@code LISTEN/NOTIFY}; a poll
 * at a fixed interval catches anything a lost notification or a dropped connection would have missed.
 *
 * <p>Implementations are thread-safe.
 */
public interface LogSubscriptions {

    /**
     * Delivers every record above {@code afterOffset} to {@code handler}, in offset order and each exactly once,
     * first catching up, then as new records commit. The handler runs on a thread of the subscription's own.
     *
     * @param afterOffset the last offset already seen; 0 for the whole log
     * @param batchSize   the most records per batch
     * @param handler     receives the batches
     */
    Subscription subscribe(long afterOffset, int batchSize, LogBatchHandler handler);

    /**
     * Waits until the log's head is above {@code afterOffset} or the timeout passes, whichever comes first.
     * Followers that read the log themselves use this between reads instead of sleeping.
     *
     * @return whether the head is above {@code afterOffset}
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    boolean awaitAppend(long afterOffset, Duration timeout) throws InterruptedException;
}
