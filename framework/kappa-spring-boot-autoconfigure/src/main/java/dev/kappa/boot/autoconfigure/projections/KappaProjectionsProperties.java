package dev.kappa.boot.autoconfigure.projections;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.kappa.projections.FailureMode;

/**
 * Settings of the projection workers.
 *
 * @param enabled           Whether this instance runs projection workers. Off, it still serves their status, waits
 *                          and read models: another instance keeps them up to date.
 * @param catchUpBatchSize  The most events a worker applies in one transaction while it is behind the head; large
 *                          batches make replays fast.
 * @param catchUpStagedRows The most rows a batch stages with Upserts while behind the head: the batch ends once its
 *                          handlers staged this many (distinct keys), which bounds its memory.
 * @param readPageSize      The most log records a worker reads, and holds in memory, at a time.
 * @param liveBatchSize     The most events a worker applies in one transaction once it has caught up; small batches
 *                          keep read models fresh.
 * @param segments          The number of segments of projections that do not declare theirs.
 * @param retryAttempts     How many times a failing event handler is tried in all before the failure mode applies.
 * @param retryInitialDelay The wait before the first retry of a failing handler; it doubles with every retry.
 * @param retryMaxDelay     The longest wait between retries of a failing handler.
 * @param failureMode       What projections that do not declare theirs do with an event whose handler keeps failing:
 *                          STOP at it, or park it as a DEAD_LETTER and go on.
 * @param leaseDuration     How long a worker's lease on a segment lasts without renewal: if an instance dies,
 *                          another takes its segments over within about 4/3 of it.
 * @param instanceId        The id this instance holds segment leases under; unique per process by default.
 * @param readinessTimeout  How long readiness waits for in-memory projections to catch up after start-up before the
 *                          application reports ready all the same (with a warning).
 * @param topics            Projection name to Kafka topic, as
 *                          kappa.projections.topics.account-activity=staging.kappa.log: the topic the projection
 *                          reads instead of the one its @Projection(topic) names, or instead of the PostgreSQL log;
 *                          an empty topic makes it read the log. Needs Kafka configured.
 */
@ConfigurationProperties("kappa.projections")
public record KappaProjectionsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1000000") int catchUpBatchSize,
        @DefaultValue("250000") int catchUpStagedRows,
        @DefaultValue("10000") int readPageSize,
        @DefaultValue("500") int liveBatchSize,
        @DefaultValue("1") int segments,
        @DefaultValue("5") int retryAttempts,
        @DefaultValue("100ms") Duration retryInitialDelay,
        @DefaultValue("10s") Duration retryMaxDelay,
        @DefaultValue("STOP") FailureMode failureMode,
        @DefaultValue("30s") Duration leaseDuration,
        String instanceId,
        @DefaultValue("10m") Duration readinessTimeout,
        Map<String, String> topics) {

    public KappaProjectionsProperties {
        // checked here, and not only by the runtime's builder, so that the error names the property to fix
        requirePositive(catchUpBatchSize, "catch-up-batch-size");
        requirePositive(catchUpStagedRows, "catch-up-staged-rows");
        requirePositive(readPageSize, "read-page-size");
        requirePositive(liveBatchSize, "live-batch-size");
        topics = topics == null ? Map.of() : Map.copyOf(topics);
    }

    private static void requirePositive(int value, String property) {
        if (value < 1) {
            throw new IllegalArgumentException("kappa.projections." + property + " must be at least 1 but was " + value
                    + "; set a positive number, or leave it out for the default");
        }
    }
}
