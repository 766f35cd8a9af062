package dev.kappa.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import dev.kappa.boot.autoconfigure.aggregates.KappaAggregatesAutoConfiguration;
import dev.kappa.boot.autoconfigure.aggregates.KappaAggregatesProperties;
import dev.kappa.boot.autoconfigure.aggregates.KappaSnapshotsProperties;
import dev.kappa.boot.autoconfigure.embedded.KappaEmbeddedPostgresAutoConfiguration;
import dev.kappa.boot.autoconfigure.metrics.KappaMetricsAutoConfiguration;
import dev.kappa.boot.autoconfigure.projections.KappaProjectionsAutoConfiguration;
import dev.kappa.boot.autoconfigure.projections.KappaProjectionsProperties;
import dev.kappa.boot.autoconfigure.projections.ProjectionWorkers;
import dev.kappa.boot.autoconfigure.store.KappaCompactionProperties;
import dev.kappa.boot.autoconfigure.store.KappaSchemaInitializer;
import dev.kappa.boot.autoconfigure.store.KappaStoreAutoConfiguration;
import dev.kappa.boot.autoconfigure.store.KappaStoreProperties;
import dev.kappa.boot.autoconfigure.store.ScheduledCompaction;
import dev.kappa.boot.autoconfigure.sample.SampleAccount;
import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.CompactionResult;
import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.eventstore.StreamAppend;
import dev.kappa.framework.AggregateConfigurationException;
import dev.kappa.framework.CommandGateway;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.CheckpointWaits;
import dev.kappa.projections.FailureMode;
import dev.kappa.projections.ProjectionControl;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionRuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The auto-configuration of the store and aggregates, on a real database, without a web server. */
class KappaAutoConfigurationTest {

    private static TestDatabase database;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KappaEmbeddedPostgresAutoConfiguration.class,
                    KappaStoreAutoConfiguration.class, KappaAggregatesAutoConfiguration.class,
                    KappaProjectionsAutoConfiguration.class))
            // a delegate, so that closing one test's context does not close the shared pool
            .withBean(DataSource.class, () -> new DelegatingDataSource(database.dataSource()))
            .withPropertyValues("kappa.aggregates.packages=dev.kappa.boot.autoconfigure.sample");

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void byDefaultTheStoreTheCodecAndTheGatewayAreReadyToUse() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(KappaSchemaInitializer.class).hasSingleBean(EventCodec.class)
                    .hasSingleBean(EventStore.class).hasSingleBean(CommandGateway.class)
                    .hasSingleBean(ScheduledCompaction.class);
            EventCodec codec = context.getBean(EventCodec.class);
            assertThat(codec.typeName(SampleAccount.Opened.class)).isEqualTo("SampleOpened");
            assertThat(codec.typeName(SampleAccount.Noted.class)).as("found by its @EventType alone")
                    .isEqualTo("SampleNoted");

            CommandGateway gateway = context.getBean(CommandGateway.class);
            String id = "acc-" + System.nanoTime();
            gateway.sendAndWait(new SampleAccount.Open(id, "Ada"));
            assertThat(gateway.sendAndWait(new SampleAccount.Deposit(id, 5)).version()).isEqualTo(2);
            assertThat(context.getBean(EventStore.class).readStream("sample-" + id, 1)).hasSize(2);
        });
    }

    @Test
    void theDefaultsOfEveryPropertyAreTheDocumentedOnes() {
        runner.run(context -> {
            assertThat(context.getBean(KappaStoreProperties.class)).satisfies(store -> {
                assertThat(store.maxBatchAppends()).isEqualTo(256);
                assertThat(store.maxBatchEvents()).isEqualTo(10_000);
                assertThat(store.maxQueuedAppends()).isEqualTo(10_000);
                assertThat(store.batchLinger()).isZero();
                assertThat(store.maxPayloadSize().toBytes()).isEqualTo(1024 * 1024);
                assertThat(store.notifications()).isTrue();
                assertThat(store.pollInterval()).isEqualTo(Duration.ofMillis(500));
                assertThat(store.readPageSize()).isEqualTo(1000);
            });
            assertThat(context.getBean(KappaCompactionProperties.class)).isEqualTo(
                    new KappaCompactionProperties(true, Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofDays(1),
                            Duration.ofDays(7)));
            assertThat(context.getBean(KappaAggregatesProperties.class)).isEqualTo(
                    new KappaAggregatesProperties(10_000, 5, List.of("dev.kappa.boot.autoconfigure.sample")));
            assertThat(context.getBean(KappaSnapshotsProperties.class).enabled()).isTrue();
            assertThat(context.getBean(KappaProjectionsProperties.class)).isEqualTo(new KappaProjectionsProperties(
                    true, 1_000_000, 250_000, 10_000, 500, 1, 5, Duration.ofMillis(100), Duration.ofSeconds(10), FailureMode.STOP,
                    Duration.ofSeconds(30), null, Duration.ofMinutes(10), java.util.Map.of()));
            assertThat(context).hasSingleBean(ProjectionRuntime.class).hasSingleBean(ProjectionWorkers.class);
        });
    }

    @Test
    void eachRoleOfTheProjectionRuntimeIsInjectableAndIsTheOneRuntime() {
        runner.run(context -> {
            ProjectionRuntime runtime = context.getBean(ProjectionRuntime.class);
            assertThat(context.getBean(ProjectionControl.class)).isSameAs(runtime);
            assertThat(context.getBean(ProjectionMonitor.class)).isSameAs(runtime);
            assertThat(context.getBean(CheckpointWaits.class)).isSameAs(runtime);
        });
    }

    @Test
    void theIdempotencyRetentionReachesTheCompactor() {
        List<StreamAppend> note = List.of(StreamAppend.of("notes-" + System.nanoTime(), ExpectedVersion.any(),
                NewEvent.of(new SampleAccount.Noted("paid"))));
        // by default a key outlives a compaction run
        runner.run(context -> {
            EventStore store = context.getBean(EventStore.class);
            String key = "kept-" + System.nanoTime();
            store.append(AppendRequest.of(note).withIdempotencyKey(key, "request"));

            store.compactor().compact();

            assertThat(store.findAppend(key)).isPresent();
        });
        // with no retention, the next run forgets it
        runner.withPropertyValues("kappa.compaction.idempotency-retention=0s").run(context -> {
            EventStore store = context.getBean(EventStore.class);
            String key = "forgotten-" + System.nanoTime();
            store.append(AppendRequest.of(note).withIdempotencyKey(key, "request"));

            CompactionResult result = store.compactor().compact();

            assertThat(result.idempotencyKeysExpired()).isPositive();
            assertThat(store.findAppend(key)).isEmpty();
        });
    }

    @Test
    void aNegativeRetentionIsAClearError() {
        runner.withPropertyValues("kappa.compaction.idempotency-retention=-1d").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("kappa.compaction.idempotency-retention must not be negative"));
    }

    @Test
    void aCatchUpBatchThatMayStageNoRowsIsAClearError() {
        runner.withPropertyValues("kappa.projections.catch-up-staged-rows=0").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("kappa.projections.catch-up-staged-rows must be at least 1 but was 0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"catch-up-batch-size", "catch-up-staged-rows", "read-page-size", "live-batch-size"})
    void aBatchOrPageSizeBelowOneIsAClearError(String property) {
        runner.withPropertyValues("kappa.projections." + property + "=-1").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("kappa.projections." + property + " must be at least 1 but was -1"));
    }

    @Test
    void everyPropertyIsBound() {
        runner.withPropertyValues("kappa.store.max-batch-appends=7", "kappa.store.max-batch-events=70",
                "kappa.store.max-queued-appends=700", "kappa.store.batch-linger=2ms", "kappa.store.max-payload-size=2KB",
                "kappa.store.notifications=false", "kappa.store.poll-interval=50ms", "kappa.store.read-page-size=9",
                "kappa.compaction.enabled=false", "kappa.compaction.interval=5m", "kappa.compaction.initial-delay=3s",
                "kappa.compaction.tombstone-retention=2h", "kappa.compaction.idempotency-retention=36h",
                "kappa.aggregates.cache-size=0",
                "kappa.aggregates.max-attempts=2", "kappa.snapshots.enabled=false", "kappa.projections.enabled=false",
                "kappa.projections.catch-up-batch-size=1000", "kappa.projections.catch-up-staged-rows=300",
                "kappa.projections.read-page-size=250",
                "kappa.projections.live-batch-size=10",
                "kappa.projections.segments=4", "kappa.projections.retry-attempts=2",
                "kappa.projections.retry-initial-delay=5ms", "kappa.projections.retry-max-delay=1s",
                "kappa.projections.failure-mode=dead-letter", "kappa.projections.lease-duration=10s",
                "kappa.projections.instance-id=node-7", "kappa.projections.readiness-timeout=2m").run(context -> {
            assertThat(context.getBean(KappaProjectionsProperties.class)).isEqualTo(new KappaProjectionsProperties(
                    false, 1000, 300, 250, 10, 4, 2, Duration.ofMillis(5), Duration.ofSeconds(1), FailureMode.DEAD_LETTER,
                    Duration.ofSeconds(10), "node-7", Duration.ofMinutes(2), java.util.Map.of()));
            assertThat(context.getBean(ProjectionRuntime.class).instanceId()).isEqualTo("node-7");
            assertThat(context.getBean(KappaStoreProperties.class)).isEqualTo(new KappaStoreProperties(7, 70, 700,
                    Duration.ofMillis(2), org.springframework.util.unit.DataSize.ofKilobytes(2), false,
                    Duration.ofMillis(50), 9));
            assertThat(context.getBean(KappaCompactionProperties.class)).isEqualTo(new KappaCompactionProperties(false,
                    Duration.ofMinutes(5), Duration.ofSeconds(3), Duration.ofHours(2), Duration.ofHours(36)));
            assertThat(context.getBean(KappaAggregatesProperties.class)).isEqualTo(new KappaAggregatesProperties(0, 2,
                    List.of("dev.kappa.boot.autoconfigure.sample")));
            assertThat(context.getBean(KappaSnapshotsProperties.class).enabled()).isFalse();
            // and they take effect
            assertThat(context).doesNotHaveBean(ScheduledCompaction.class);
            EventStore store = context.getBean(EventStore.class);
            assertThatThrownBy(() -> store.append("s", ExpectedVersion.any(),
                    List.of(NewEvent.of(new SampleAccount.Noted("x".repeat(3_000))))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over the limit of 2048 bytes");
            CommandGateway gateway = context.getBean(CommandGateway.class);
            String id = "acc-" + System.nanoTime();
            gateway.sendAndWait(new SampleAccount.Open(id, "Ada"));
            gateway.sendAndWait(new SampleAccount.Deposit(id, 1));
            assertThat(gateway.statistics().cacheHits()).as("no cache").isZero();
        });
    }

    @Test
    void beansOfTheApplicationReplaceKappas() {
        EventCodec ownCodec = EventCodec.builder().register(SampleAccount.Opened.class, SampleAccount.Deposited.class)
                .build();
        runner.withBean("ownCodec", EventCodec.class, () -> ownCodec).run(context -> {
            assertThat(context.getBean(EventCodec.class)).isSameAs(ownCodec);
            assertThat(context.getBean(EventStore.class).codec()).isSameAs(ownCodec);
        });
        runner.withBean("ownGateway", CommandGateway.class, () -> org.mockito.Mockito.mock(CommandGateway.class))
                .run(context -> assertThat(context.getBean(CommandGateway.class))
                        .isSameAs(context.getBean("ownGateway")));
        runner.withBean("ownRuntime", ProjectionRuntime.class, () -> org.mockito.Mockito.mock(ProjectionRuntime.class))
                .run(context -> assertThat(context.getBean(ProjectionRuntime.class))
                        .isSameAs(context.getBean("ownRuntime")));
    }

    @Test
    void withAMeterRegistryAppendsAndCommandsAreMeasured() {
        runner.withConfiguration(AutoConfigurations.of(KappaMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    CommandGateway gateway = context.getBean(CommandGateway.class);
                    String id = "acc-" + System.nanoTime();
                    gateway.sendAndWait(new SampleAccount.Open(id, "Ada"));
                    assertThatThrownBy(() -> gateway.sendAndWait(new SampleAccount.Open(id, "Ada")))
                            .isInstanceOf(dev.kappa.framework.AggregateAlreadyExistsException.class);

                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("kappa.commands").tag("command", "Open").tag("outcome", "success")
                            .timer().count()).isEqualTo(1);
                    assertThat(registry.get("kappa.commands").tag("exception", "AggregateAlreadyExistsException")
                            .timer().count()).isEqualTo(1);
                    assertThat(registry.get("kappa.store.append").tag("outcome", "committed").timer().count())
                            .isEqualTo(1);
                    assertThat(registry.get("kappa.store.append").tag("outcome", "conflict").timer().count())
                            .isEqualTo(1);
                    assertThat(registry.get("kappa.store.events").counter().count()).isEqualTo(1);
                    assertThat(registry.get("kappa.store.batch.commit").timer().count()).isEqualTo(2);
                });
    }

    @Test
    void withoutAMeterRegistryNothingIsMeasured() {
        runner.withConfiguration(AutoConfigurations.of(KappaMetricsAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(dev.kappa.eventstore.StoreObserver.class));
    }

    @Test
    void anApplicationWithoutAggregatesGetsNoGateway() {
        runner.withPropertyValues("kappa.aggregates.packages=dev.kappa.boot.autoconfigure.none").run(context -> {
            assertThat(context).hasSingleBean(EventStore.class);
            assertThat(context).doesNotHaveBean(CommandGateway.class);
        });
    }

    @dev.kappa.projections.Projection("handles-nothing")
    static class ProjectionWithoutHandlers {
    }

    @Test
    void aBrokenProjectionFailsStartUpWithAFailureAnalysis() {
        runner.withBean("brokenProjection", ProjectionWithoutHandlers.class, ProjectionWithoutHandlers::new)
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyse(context.getStartupFailure());

                    assertThat(analysis.getDescription()).startsWith("Kappa cannot run a projection:")
                            .contains("the @Projection bean 'brokenProjection'")
                            .contains("has no @EventHandler method");
                    assertThat(analysis.getAction()).contains("docs/projections.md");
                });
    }

    @Test
    void aBrokenAggregateFailsStartUpWithAFailureAnalysisListingItsProblems() {
        runner.withPropertyValues("kappa.aggregates.packages=dev.kappa.boot.autoconfigure.broken").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyse(context.getStartupFailure());

            assertThat(analysis.getDescription())
                    .startsWith("Kappa found 2 problems with the application's @Aggregate classes:")
                    .contains("BrokenAccount has no @AggregateId field")
                    .contains("@CommandHandler BrokenAccount.rename(String) must take a command type of its own");
            assertThat(analysis.getAction()).contains("docs/aggregates.md");
            assertThat(analysis.getCause()).isInstanceOf(AggregateConfigurationException.class);
        });
    }

    /** The analysis Spring Boot would print for a start-up failure. */
    private static FailureAnalysis analyse(Throwable failure) {
        return SpringFactoriesLoader.forDefaultResourceLocation()
                // some of Boot's own analyzers need a running context: skip those here
                .load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage(
                        (message, exception) -> { }))
                .stream()
                .map(analyzer -> analyzer.analyze(failure))
                .filter(java.util.Objects::nonNull)
                .findFirst().orElseThrow();
    }
}
