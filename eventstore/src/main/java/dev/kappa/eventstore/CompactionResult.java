package dev.kappa.eventstore;

/**
 * What a compaction run removed.
 *
 * @param supersededRemoved records removed because a later record has the same key
 * @param tombstonesRemoved tombstones removed because they were older than the retention period
 * @param compactedThrough  the offset up to which the log is now compacted
 * @param skipped           whether the run did nothing because another compaction was in progress
 */
public record CompactionResult(long supersededRemoved, long tombstonesRemoved, long compactedThrough, boolean skipped) {

    /** Records removed in all. */
    public long totalRemoved() {
        return supersededRemoved + tombstonesRemoved;
    }
}
