package dev.kappa.eventstore;

/**
 * What a compaction run removed.
 *
 * @param supersededRemoved      records removed because a later record has the same key
 * @param tombstonesRemoved      tombstones removed because they were older than the retention period
 * @param idempotencyKeysExpired idempotency keys removed because they were older than the idempotency retention; an
 *                               append with one of them is made again
 * @param compactedThrough       the offset up to which the log is now compacted
 * @param skipped                whether the run did nothing because another compaction was in progress
 */
public record CompactionResult(long supersededRemoved, long tombstonesRemoved, long idempotencyKeysExpired,
                               long compactedThrough, boolean skipped) {

    /** A result in which no idempotency key expired. */
    public CompactionResult(long supersededRemoved, long tombstonesRemoved, long compactedThrough, boolean skipped) {
        this(supersededRemoved, tombstonesRemoved, 0, compactedThrough, skipped);
    }

    /** Records removed from the log in all (expired idempotency keys are not records of the log). */
    public long totalRemoved() {
        return supersededRemoved + tombstonesRemoved;
    }
}
