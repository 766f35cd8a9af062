package dev.kappa.projections.internal.worker;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.segment.SegmentLedger;
import dev.kappa.projections.internal.segment.SegmentRow;
import dev.kappa.projections.source.SourcePartition;

/**
 * The worker's side of its segment's lease: taking it when it is free, renewing it every third of its duration (or at
 * once when something may have changed), noticing that it was lost or that the segment should be handed over to
 * balance the load, and giving it up. Each answer carries the segment's row, which the worker takes as the truth
 * ({@link Holder#adopt}). The statements are in {@code internal.lease.PostgresLeases}, reached through the ledger; an
 * in-memory ledger's lease is always held. A database segment is taken and kept only while its source partition is
 * {@linkplain SourcePartition#assignedHere() assigned here} (a Kafka consumer group decides where a topic's partitions
 * go); the lease still fences the commits.
 *
 * <p>Thread-safe for {@link #held()}, read by status readers; everything else runs on the worker's thread.
 */
final class SegmentLease {

    private static final Logger log = LoggerFactory.getLogger(SegmentLease.class);
    private static final Duration ASSIGNMENT_POLL = Duration.ofMillis(200);

    /** What the lease tells its worker. Called on the worker's thread. */
    interface Holder {

        /** The segment's row, read back when the lease was taken ({@code claimed}) or renewed: its word goes. */
        void adopt(SegmentRow row, boolean claimed);

        /** The segment's generation no longer exists: the worker is to stop. */
        void retired();

        /** The worker's checkpoint, for log lines. */
        long checkpoint();

        /** The ledger could not be asked: wait, with back-off. */
        void outage(Throwable cause, String action);
    }

    private final SegmentKey key;
    private final SegmentLedger ledger;
    private final OutageBackoff outages;
    private final WorkerEvents events;
    private final Holder holder;
    private final SourcePartition source;
    private final long renewIntervalNanos;
    private volatile boolean held;
    /** The last {@link #take()} found the partition assigned elsewhere, or not yet assigned at all. */
    private boolean awaitingAssignment;
    private long lastRenewal;
    private boolean renewNow;

    SegmentLease(WorkerConfig config, SourcePartition source, OutageBackoff outages, Holder holder) {
        this.source = source;
        this.key = config.key();
        this.ledger = config.ledger();
        this.outages = outages;
        this.events = config.events();
        this.holder = holder;
        this.renewIntervalNanos = config.lease().toNanos() / 3;
    }

    /**
     * Takes the lease, if it is free (or expired, or this instance's already) and this instance holds fewer than its
     * fair share of the generation's segments, and its partition is assigned here.
     *
     * @return whether it is held now
     */
    boolean take() {
        awaitingAssignment = ledger.inDatabase() && !source.assignedHere();
        if (awaitingAssignment) {
            return false;
        }
        SegmentLedger.Claim claim;
        try {
            claim = ledger.claim();
        } catch (RuntimeException e) {
            holder.outage(e, "take its lease");
            return false;
        }
        if (ledger.inDatabase()) {
            outages.answered(holder.checkpoint());
        }
        if (claim instanceof SegmentLedger.Owned o) {
            held = true;
            lastRenewal = System.nanoTime();
            renewNow = false;
            if (o.previousOwner() != null && !o.previousOwner().equals(o.row().owner())) {
                log.info("{}: took the segment over from {} at checkpoint {}", key, o.previousOwner(),
                        o.row().checkpoint());
            }
            holder.adopt(o.row(), true);
            events.changed(key);
            return true;
        }
        if (claim instanceof SegmentLedger.Gone) {
            holder.retired();
        }
        return false;
    }

    /** Renews the lease, and learns whether it was lost, or is to be handed over. */
    void renew() {
        renewNow = false;
        SegmentLedger.Claim claim;
        try {
            claim = ledger.renew();
        } catch (RuntimeException e) {
            holder.outage(e, "renew its lease");
            renewNow = true;
            return;
        }
        lastRenewal = System.nanoTime();
        if (ledger.inDatabase()) {
            outages.answered(holder.checkpoint());
        }
        if (claim instanceof SegmentLedger.Owned o) {
            holder.adopt(o.row(), false);
            if (ledger.inDatabase() && !source.assignedHere()) {
                log.info("{}: handing the segment over at checkpoint {}: Kafka's consumer group assigned its partition"
                        + " to another instance", key, holder.checkpoint());
                release();
                events.changed(key);
            } else if (o.handOver()) {
                log.info("{}: handing the segment over at checkpoint {}: this instance holds more than its fair share",
                        key, holder.checkpoint());
                release();
                events.changed(key);
            }
        } else if (claim instanceof SegmentLedger.HeldElsewhere) {
            log.info("{}: lost the segment's lease to another instance at checkpoint {}", key, holder.checkpoint());
            held = false;
            events.changed(key);
        } else {
            holder.retired();
        }
    }

    /** Gives the lease up, so that another instance can take the segment at once; if that fails, it expires. */
    void release() {
        try {
            ledger.release();
        } catch (RuntimeException e) {
            log.debug("{}: could not release the lease ({}); it expires by itself", key, e.getMessage());
        }
        held = false;
    }

    /** Forgets the lease without telling anyone: the generation is gone, or the database does not answer. */
    void forget() {
        held = false;
    }

    /** Whether this instance holds the lease. */
    boolean held() {
        return held;
    }

    /** Whether the lease is to be renewed now. */
    boolean due() {
        return renewNow || System.nanoTime() - lastRenewal >= renewIntervalNanos;
    }

    /** Makes the next step renew the lease, reading the segment's row back: the ledger is the truth after a surprise. */
    void renewSoon() {
        renewNow = true;
    }

    /**
     * How long to wait before trying {@link #take()} again: a partition waiting for the consumer group's assignment is
     * asked again soon (the answer is in memory, and a group settles within a second or so, while a lease's renewal
     * interval is seconds long); a lease held elsewhere, at the renewal interval.
     */
    Duration retryInterval() {
        return awaitingAssignment ? ASSIGNMENT_POLL : renewInterval();
    }

    /** How often the lease is renewed. */
    Duration renewInterval() {
        return Duration.ofNanos(renewIntervalNanos);
    }

    /** How long until the lease is due for renewal: the longest a worker may wait for records. */
    long nanosUntilDue() {
        return renewIntervalNanos - (System.nanoTime() - lastRenewal);
    }
}
