package dev.kappa.projections.internal.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionTemplate;

import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.postgres.PostgresSegments;
import dev.kappa.projections.internal.postgres.SegmentKey;
import dev.kappa.projections.internal.postgres.SegmentRow;

/**
 * A database projection's segment: a lease in its row and a compare-and-set of its checkpoint in the transaction of
 * each batch. Thread-safe.
 */
public final class DatabaseLedger implements SegmentLedger {

    private final PostgresSegments segments;
    private final SegmentKey key;
    private final String me;
    private final Duration lease;
    private final int segmentCount;
    private final TransactionTemplate transaction;
    private final Clock clock;

    /**
     * @param segmentCount how many segments the generation has: this instance may hold its fair share of them, divided
     *                     among the instances that run the generation, counted by the database at each claim and renewal
     */
    public DatabaseLedger(PostgresSegments segments, SegmentKey key, String me, Duration lease, int segmentCount,
                          TransactionTemplate transaction, Clock clock) {
        this.segments = segments;
        this.key = key;
        this.me = me;
        this.lease = lease;
        this.segmentCount = segmentCount;
        this.transaction = transaction;
        this.clock = clock;
    }

    @Override
    public Claim claim() {
        var acquired = segments.acquire(key, me, lease, segmentCount);
        if (acquired.isPresent()) {
            return new Owned(acquired.get().row(), acquired.get().previousOwner(), false);
        }
        return segments.read(key).isPresent() ? new HeldElsewhere() : new Gone();
    }

    @Override
    public Claim renew() {
        var renewal = segments.renew(key, me, lease, segmentCount);
        if (renewal.isPresent()) {
            SegmentRow row = renewal.get().row();
            boolean handOver = renewal.get().owned() > renewal.get().fairShare()
                    && renewal.get().highest() == row.segment();
            return new Owned(row, me, handOver);
        }
        return segments.read(key).isPresent() ? new HeldElsewhere() : new Gone();
    }

    @Override
    public boolean advance(long from, long to, boolean caughtUp) {
        return segments.advance(key, me, from, to, caughtUp, lease, clock.instant());
    }

    @Override
    public void recordFailure(ProjectionFailure failure) {
        segments.recordFailure(key, me, failure);
    }

    @Override
    public boolean clearSkipped(long offset) {
        return segments.clearSkipped(key, me, offset);
    }

    @Override
    public void release() {
        segments.release(key, me);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return transaction.execute(status -> work.get());
    }

    @Override
    public boolean keepsPartialProgress() {
        return false;
    }

    @Override
    public boolean inDatabase() {
        return true;
    }
}
