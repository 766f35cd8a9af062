package dev.kappa.eventstore;

/**
 * Hears what the event store does, for metrics. Methods are called on the threads doing the work, so they must be
 * quick and must not throw; the defaults do nothing.
 */
public interface StoreObserver {

    /** An observer that hears nothing. */
    StoreObserver NONE = new StoreObserver() {
    };

    /**
     * An append call ended.
     *
     * @param events        how many events it carried
     * @param durationNanos from the call to its end, queueing included
     * @param failure       why it failed (a conflict, say), or {@code null} if its events are committed
     */
    default void appendEnded(int events, long durationNanos, Throwable failure) {
    }

    /**
     * The writer committed one group-commit batch: several append calls in one transaction.
     *
     * @param appends       how many append calls it held
     * @param events        how many events they appended
     * @param durationNanos from the start of the transaction to its commit
     */
    default void batchCommitted(int appends, int events, long durationNanos) {
    }
}
