package dev.kappa.projections.internal.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

import io.micrometer.observation.ObservationRegistry;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.projections.FailureMode;
import dev.kappa.projections.RetryPolicy;
import dev.kappa.projections.internal.deadletter.PostgresDeadLetters;
import dev.kappa.projections.internal.metrics.ProjectionMetrics;
import dev.kappa.projections.internal.model.GenerationTables;
import dev.kappa.projections.internal.model.HandlerResolver;
import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.segment.SegmentLedger;
import dev.kappa.projections.internal.upsert.UpsertWriter;
import dev.kappa.projections.source.RecordSource;

/**
 * Everything one segment worker works with. Immutable.
 *
 * @param key              the segment
 * @param segmentCount     how many segments its generation has
 * @param definition       the projection
 * @param resolver         finds handlers by stored type
 * @param tables           the physical names of the generation's tables
 * @param rebuilding       whether it replays (a new generation, or after a reset) rather than catching up after a start
 * @param failureMode      what to do with an event that keeps failing
 * @param retry            how to retry a failing event
 * @param catchUpBatchSize the most events per batch (one transaction) while behind
 * @param catchUpStagedRows the most rows a batch stages while behind (it ends with the page that reaches them)
 * @param pageSize         the most records read at a time while behind
 * @param liveBatchSize    the most events per batch once caught up
 * @param lease            the lease duration; the worker renews every third of it
 * @param instanceId       the runtime's instance id, the lease holder's name
 * @param source           where the records come from: the worker reads the partition of its segment
 * @param codec            decodes payloads
 * @param ledger           keeps the checkpoint and makes batches atomic
 * @param dataSource       the read model's data source, for staged writes
 * @param upsertWriter     writes staged rows
 * @param deadLetters      parks events, for a dead-letter projection
 * @param clock            stamps failures, measures rates
 * @param metrics          where to report
 * @param events           where to tell the runtime what happened
 * @param serving          whether its generation is the one readers use (its commits are then mirrored to the source)
 * @param observationRegistry observes its batches ({@link ObservationRegistry#NOOP} for none)
 */
public record WorkerConfig(SegmentKey key, int segmentCount, ProjectionDefinition definition, HandlerResolver resolver,
                           GenerationTables tables, boolean rebuilding, FailureMode failureMode, RetryPolicy retry,
                           int catchUpBatchSize, int catchUpStagedRows, int pageSize, int liveBatchSize, Duration lease, String instanceId,
                           RecordSource source, EventCodec codec, SegmentLedger ledger,
                           DataSource dataSource, UpsertWriter upsertWriter, PostgresDeadLetters deadLetters,
                           Clock clock, ProjectionMetrics metrics, WorkerEvents events, BooleanSupplier serving,
                           ObservationRegistry observationRegistry) {

    /** Whether the read model is in the database. */
    boolean database() {
        return !definition.inMemory();
    }
}
