package dev.kappa.projections.internal.worker;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.projections.internal.postgres.SegmentKey;

/**
 * The worker's side of its segment's lease: whether it holds it, and when to renew it (every third of the lease's
 * duration, or at once when something may have changed). Taking, renewing and releasing go through the ledger (in the
 * database, {@code internal.lease.PostgresLeases}; in memory, a lease that is always held).
 *
 * <p>Thread-safe for {@link #held()}, read by status readers; everything else runs on the worker's thread.
 */
final class SegmentLease {

    private static final Logger log = LoggerFactory.getLogger(SegmentLease.class);

    private final SegmentKey key;
    private final SegmentLedger ledger;
    private final long renewIntervalNanos;
    private volatile boolean held;
    private long lastRenewal;
    private boolean renewNow;

    SegmentLease(SegmentKey key, SegmentLedger ledger, Duration lease) {
        this.key = key;
        this.ledger = ledger;
        this.renewIntervalNanos = lease.toNanos() / 3;
    }

    /**
     * Takes the lease, if it is free.
     *
     * @throws RuntimeException if the ledger cannot be asked
     */
    SegmentLedger.Claim claim() {
        SegmentLedger.Claim claim = ledger.claim();
        if (claim instanceof SegmentLedger.Owned) {
            held = true;
            lastRenewal = System.nanoTime();
            renewNow = false;
        }
        return claim;
    }

    /**
     * Renews the lease; it is no longer held unless the answer is {@link SegmentLedger.Owned}.
     *
     * @throws RuntimeException if the ledger cannot be asked; the lease is renewed again at once
     */
    SegmentLedger.Claim renew() {
        renewNow = false;
        SegmentLedger.Claim claim;
        try {
            claim = ledger.renew();
        } catch (RuntimeException e) {
            renewNow = true;
            throw e;
        }
        lastRenewal = System.nanoTime();
        if (!(claim instanceof SegmentLedger.Owned)) {
            held = false;
        }
        return claim;
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

    /** Whether the lease is to be renewed now: the ledger is the truth after anything surprising. */
    boolean due() {
        return renewNow || System.nanoTime() - lastRenewal >= renewIntervalNanos;
    }

    /** Makes the next step renew the lease, reading the segment's row back. */
    void renewSoon() {
        renewNow = true;
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
