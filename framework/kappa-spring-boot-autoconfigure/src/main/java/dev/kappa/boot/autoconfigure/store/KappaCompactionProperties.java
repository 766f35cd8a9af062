package dev.kappa.boot.autoconfigure.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Scheduled compaction of the log: records superseded by a later record with the same compaction key are deleted,
 * expired tombstones with their keys, and expired idempotency keys.
 *
 * @param enabled              Whether the log is compacted on a schedule. A run over a log without keyed records
 *                             costs an index lookup; otherwise it looks only at the records appended since the previous
 *                             run. Without it, idempotency keys expire only when compaction is called by hand.
 * @param interval             How often compaction runs.
 * @param initialDelay         How long after start-up the first run waits.
 * @param tombstoneRetention   How long a tombstone stays before compaction removes it, and its key with it; followers
 *                             must read past a tombstone within this time to see the deletion.
 * @param idempotencyRetention How long an idempotency key is kept before compaction removes it. A retry with the same
 *                             key within this time is applied at most once; after it, the key may be applied again.
 */
@ConfigurationProperties("kappa.compaction")
public record KappaCompactionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1h") Duration interval,
        @DefaultValue("1m") Duration initialDelay,
        @DefaultValue("1d") Duration tombstoneRetention,
        @DefaultValue("7d") Duration idempotencyRetention) {

    public KappaCompactionProperties {
        requireNotNegative(tombstoneRetention, "tombstone-retention");
        requireNotNegative(idempotencyRetention, "idempotency-retention");
    }

    private static void requireNotNegative(Duration retention, String property) {
        if (retention != null && retention.isNegative()) {
            throw new IllegalArgumentException("kappa.compaction." + property + " must not be negative but was "
                    + retention + "; use 0 to keep nothing beyond the next compaction run");
        }
    }
}
