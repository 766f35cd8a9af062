package dev.kappa.projections.internal.segment;

import java.util.function.Supplier;

import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.segment.SegmentRow;

/**
 * Where a segment's checkpoint, lease and failure are kept, and how its batches are made atomic: in the database,
 * under a lease and in a transaction, for a database projection; in memory for an in-memory one.
 *
 * <p>Implementations are thread-safe; a segment's worker is their only writer.
 */
public interface SegmentLedger {

    /** Takes (or confirms) this instance's hold on the segment. */
    Claim claim();

    /** Renews the hold; tells whether this instance should hand the segment over to balance the load. */
    Claim renew();

    /**
     * Moves the checkpoint from {@code from} to {@code to}, inside {@link #inTransaction}. A {@code false} answer
     * means the hold was lost or the checkpoint moved meanwhile (a reset): the batch must not take effect.
     */
    boolean advance(long from, long to, boolean caughtUp);

    /** Records that the segment stopped at an event; a decision to skip an earlier failure no longer applies. */
    void recordFailure(ProjectionFailure failure);

    /**
     * Clears the failure at {@code offset} and the operator's decision to skip it, inside {@link #inTransaction}: the
     * worker parked the event. A {@code false} answer means the decision was withdrawn meanwhile (a restart or a
     * reset): the batch must not take effect.
     */
    boolean clearSkipped(long offset);

    /** Gives up the hold. */
    void release();

    /**
     * Runs a batch atomically: in a database transaction, which a runtime exception rolls back. An in-memory ledger
     * just runs it.
     */
    <T> T inTransaction(Supplier<T> work);

    /**
     * Whether the events applied before a failing one stay applied: true in memory, where nothing rolls back; false
     * in the database, where the batch's transaction is rolled back whole.
     */
    boolean keepsPartialProgress();

    /** Whether claiming and renewing ask the database: then an answer from them means the database is there. */
    boolean inDatabase();

    /** An answer to {@link #claim()} or {@link #renew()}. */
    sealed interface Claim {
    }

    /**
     * This instance holds the segment.
     *
     * @param row           the segment's row
     * @param previousOwner who held it before this claim, or {@code null}
     * @param handOver      whether this instance holds more than its fair share and should give this one up
     */
    record Owned(SegmentRow row, String previousOwner, boolean handOver) implements Claim {
    }

    /** Another instance holds the segment. */
    record HeldElsewhere() implements Claim {
    }

    /** The segment's generation no longer exists: it was replaced. */
    record Gone() implements Claim {
    }
}
