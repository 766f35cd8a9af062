package dev.kappa.benchmarks;

import java.util.concurrent.atomic.LongAdder;

import dev.kappa.eventstore.StoreObserver;

/**
 * Counts the event store's group commits, to report how many appends and events each transaction carried and how
 * long it took. Thread-safe: the store's writer thread reports, the benchmark reads.
 */
final class BatchStatistics implements StoreObserver {

    private final LongAdder batches = new LongAdder();
    private final LongAdder appends = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    @Override
    public void batchCommitted(int appendCount, int eventCount, long durationNanos) {
        batches.increment();
        appends.add(appendCount);
        events.add(eventCount);
        nanos.add(durationNanos);
    }

    /** A summary such as "1234 commits, 8.1 appends and 8.1 events per commit, 0.95 ms per commit". */
    String summary() {
        long count = Math.max(1, batches.sum());
        return String.format(java.util.Locale.ROOT, "%d group commits, %.1f appends and %.1f events per commit,"
                        + " %.2f ms per commit (transaction start to commit)", batches.sum(),
                (double) appends.sum() / count, (double) events.sum() / count, nanos.sum() / 1e6 / count);
    }

    /**
     * How a phase of {@code phaseNanos} divides among its group commits: the cycle (the phase's time per commit), the
     * part spent in the writer's transaction and the rest (the callers coming back with their next append, the writer
     * collecting and answering them), e.g. "a cycle of 1.00 ms per group commit: 0.79 ms in its transaction, 0.21 ms
     * outside it". Where the writer is busy without pause, as in the write phase, the two parts add up to the cycle.
     */
    String cycle(long phaseNanos) {
        long count = Math.max(1, batches.sum());
        double cycle = phaseNanos / 1e6 / count;
        double inside = nanos.sum() / 1e6 / count;
        return String.format(java.util.Locale.ROOT, "a cycle of %.2f ms per group commit: %.2f ms in its transaction,"
                + " %.2f ms outside it", cycle, inside, cycle - inside);
    }
}
