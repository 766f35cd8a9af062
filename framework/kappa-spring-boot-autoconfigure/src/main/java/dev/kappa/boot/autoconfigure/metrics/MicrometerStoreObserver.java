package dev.kappa.boot.autoconfigure.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.kappa.eventstore.ConcurrencyException;
import dev.kappa.eventstore.StoreObserver;

/**
 * Event store metrics: {@code kappa.store.append} (latency of append calls, by outcome), {@code kappa.store.events}
 * (events committed), {@code kappa.store.batch.appends} (append calls per group commit) and
 * {@code kappa.store.batch.commit} (time to write and commit a batch). Thread-safe.
 */
class MicrometerStoreObserver implements StoreObserver {

    private final Timer committed;
    private final Timer conflicted;
    private final Timer failed;
    private final Counter events;
    private final DistributionSummary batchAppends;
    private final Timer batchCommit;

    MicrometerStoreObserver(MeterRegistry registry) {
        this.committed = appendTimer(registry, "committed");
        this.conflicted = appendTimer(registry, "conflict");
        this.failed = appendTimer(registry, "failed");
        this.events = Counter.builder("kappa.store.events").description("Events committed to the log")
                .baseUnit("events").register(registry);
        this.batchAppends = DistributionSummary.builder("kappa.store.batch.appends")
                .description("Append calls committed together by group commit").register(registry);
        this.batchCommit = Timer.builder("kappa.store.batch.commit")
                .description("Time to write and commit one group-commit batch").register(registry);
    }

    private static Timer appendTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("kappa.store.append").description("Append calls, from the call to the commit")
                .tag("outcome", outcome).register(registry);
    }

    @Override
    public void appendEnded(int eventCount, long durationNanos, Throwable failure) {
        if (failure == null) {
            committed.record(durationNanos, TimeUnit.NANOSECONDS);
            events.increment(eventCount);
        } else if (failure instanceof ConcurrencyException) {
            conflicted.record(durationNanos, TimeUnit.NANOSECONDS);
        } else {
            failed.record(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void batchCommitted(int appends, int eventCount, long durationNanos) {
        batchAppends.record(appends);
        batchCommit.record(durationNanos, TimeUnit.NANOSECONDS);
    }
}
