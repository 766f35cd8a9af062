package dev.kappa.boot.autoconfigure.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Scheduled compaction of the log: records superseded by a later record with the same compaction key are deleted,
 * and expired tombstones with their keys.
 *
 * @param enabled            Whether the log is compacted on a schedule. A run over a log without keyed records costs
 *                           one index lookup; otherwise it looks only at the records appended since the previous run.
 * @param interval           How often compaction runs.
 * @param initialDelay       How long after start-up the first run waits.
 * @param tombstoneRetention How long a tombstone stays before compaction removes it, and its key with it; followers
 *                           must read past a tombstone within this time to see the deletion.
 */
@ConfigurationProperties("kappa.compaction")
public record KappaCompactionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1h") Duration interval,
        @DefaultValue("1m") Duration initialDelay,
        @DefaultValue("1d") Duration tombstoneRetention) {
}
