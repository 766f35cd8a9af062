package dev.kappa.projections.internal.segment;

import java.time.Clock;
import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionTemplate;

import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.lease.Lease;
import dev.kappa.projections.internal.lease.PostgresLeases;
import dev.kappa.projections.internal.segment.PostgresSegments;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.segment.SegmentRow;

/**
 * A database projection's segment: a {@link Lease} in its row and a compare-and-set of its checkpoint in the
 * transaction of each batch. Thread-safe.
 */
public final class DatabaseLedger implements SegmentLedger {

    private final PostgresSegments segments;
    private final PostgresLeases leases;
    private final Lease lease;
    private final SegmentKey key;
    private final String me;
    private final int segmentCount;
    private final boolean fairShare;
    private final TransactionTemplate transaction;
    private final Clock clock;

    /**
     * @param segmentCount how many segments the generation has: the lease's holder may hold its fair share of them,
     *                     divided among the instances that run the generation, counted by the database at each claim
     *                     and renewal
     * @param fairShare    whether the holder keeps to its fair share: not where the source places its partitions
     *                     itself (a Kafka consumer group), which alone decides where segments go
     */
    public DatabaseLedger(PostgresSegments segments, PostgresLeases leases, Lease lease, int segmentCount,
                          boolean fairShare, TransactionTemplate transaction, Clock clock) {
        this.segments = segments;
        this.leases = leases;
        this.lease = lease;
        this.key = lease.segment();
        this.me = lease.holder();
        this.segmentCount = segmentCount;
        this.fairShare = fairShare;
        this.transaction = transaction;
        this.clock = clock;
    }

    @Override
    public Claim claim() {
        var acquired = leases.acquire(lease, segmentCount, fairShare);
        if (acquired.isPresent()) {
            return new Owned(acquired.get().row(), acquired.get().previousOwner(), false);
        }
        return segments.read(key).isPresent() ? new HeldElsewhere() : new Gone();
    }

    @Override
    public Claim renew() {
        var renewal = leases.renew(lease, segmentCount);
        if (renewal.isPresent()) {
            SegmentRow row = renewal.get().row();
            boolean handOver = fairShare && renewal.get().owned() > renewal.get().fairShare()
                    && renewal.get().highest() == row.segment();
            return new Owned(row, me, handOver);
        }
        return segments.read(key).isPresent() ? new HeldElsewhere() : new Gone();
    }

    @Override
    public boolean advance(long from, long to, boolean caughtUp) {
        return segments.advance(key, me, from, to, caughtUp, lease.duration(), clock.instant());
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
        leases.release(lease);
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
