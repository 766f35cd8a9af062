package dev.kappa.framework.internal.gateway;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises commands on the same aggregate within this process, as Axon's pessimistic lock does: they would only
 * conflict with each other and retry. A fixed set of stripes, chosen by the stream id's hash, keeps memory bounded;
 * two aggregates may share a stripe and then wait for each other briefly.
 *
 * <p>Thread-safe.
 */
final class AggregateLocks {

    private static final int STRIPES = 1024;

    /** Holds no lock: for a command whose append joins its caller's transaction (see {@link #acquire}). */
    static final Held NONE = () -> { };

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    AggregateLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Waits for the stream's lock; closing the result releases it. */
    Held acquire(String streamId) {
        ReentrantLock lock = stripeOf(streamId);
        lock.lock();
        return lock::unlock;
    }

    private ReentrantLock stripeOf(String streamId) {
        // spread the hash so that ids differing only in their last characters still land apart
        int hash = streamId.hashCode();
        hash ^= hash >>> 16;
        return stripes[hash & (STRIPES - 1)];
    }

    /** A held lock, released by {@link #close()}. */
    interface Held extends AutoCloseable {

        @Override
        void close();
    }
}
