package dev.kappa.projections.internal.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.transaction.PlatformTransactionManager;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogSubscriptions;
import dev.kappa.projections.FailureMode;
import dev.kappa.projections.RetryPolicy;
import dev.kappa.projections.source.RecordSources;

/**
 * A runtime's settings, as the builder collected them. Immutable.
 *
 * @param dataSource         the database of checkpoints and read models
 * @param reader             reads the log
 * @param subscriptions      wakes workers when the log grows
 * @param codec              decodes events
 * @param transactionManager runs the workers' transactions
 * @param clock              stamps failures, measures rates
 * @param instanceId         the lease holder name of this runtime
 * @param catchUpBatchSize   the most events per batch (one transaction) while behind
 * @param catchUpStagedRows  the most rows a batch stages in {@code Upserts} while behind
 * @param readPageSize       the most records a worker reads at a time
 * @param liveBatchSize      the most events per batch once caught up
 * @param defaultSegments    segments of projections that declare none
 * @param retryPolicy        how failing handlers are retried
 * @param failureMode        what projections that declare none do with an event that keeps failing
 * @param leaseDuration      how long a segment's lease lasts without renewal
 * @param meterRegistry      a Micrometer registry, or {@code null}
 * @param recordSources      where projections that name a topic read it, or {@code null} when none is configured
 * @param topics             topics by projection name, overriding the ones their annotations name (empty: the log)
 * @param observationRegistry observes projection batches ({@link ObservationRegistry#NOOP} for none)
 */
public record RuntimeSettings(DataSource dataSource, EventReader reader, LogSubscriptions subscriptions,
                              EventCodec codec, PlatformTransactionManager transactionManager, Clock clock,
                              String instanceId, int catchUpBatchSize, int catchUpStagedRows, int readPageSize,
                              int liveBatchSize,
                              int defaultSegments,
                              RetryPolicy retryPolicy, FailureMode failureMode, Duration leaseDuration,
                              Object meterRegistry, RecordSources recordSources, Map<String, String> topics,
                              ObservationRegistry observationRegistry) {
}
