package dev.kappa.eventstore;

import java.util.Optional;

/**
 * Compacts the log as Kafka compacts a topic.
 *
 * <p>A record with a compaction key is superseded by any later record with the same key; compaction deletes
 * superseded records. A tombstone, once older than the retention period, is deleted too, and with it its key is gone.
 * Records without a key are never touched, and no offset ever changes. Replaying a compacted log from the start yields
 * the latest value of every key.
 *
 * <p>Compaction also forgets idempotency keys older than the idempotency retention
 * ({@link EventStoreBuilder#idempotencyRetention(java.time.Duration)}): an append with such a key is made again.
 *
 * <p>Compaction is safe while readers and writers run, and only one process compacts at a time (a second caller
 * finds the work in progress and returns an empty result).
 */
public interface LogCompactor {

    /** Compacts the log up to its current head and reports what was removed. */
    CompactionResult compact();

    /**
     * The last run that compacted (not one that found another in progress), by any instance on this database; empty
     * if the log was never compacted.
     *
     * @throws EventStoreException if the database does not answer
     */
    Optional<CompactionRun> lastRun();
}
