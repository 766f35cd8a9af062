package dev.kappa.projections;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.eventstore.StoreOutage;
import dev.kappa.postgres.embedded.junit.RestartableDatabase;

import static dev.kappa.projections.TestEvents.deposited;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away under running projections, for longer than the pool's connection timeout and the lease, and
 * comes back: a database projection and an in-memory one say that they wait for the database meanwhile, and resume
 * by themselves afterwards, applying every event exactly once.
 */
class DatabaseOutageIntegrationTest {

    private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(500);
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path directory;
    private RestartableDatabase database;
    private DataSource pool;
    private EventStore store;
    private ProjectionRuntime runtime;

    @BeforeEach
    void startDatabase() {
        database = RestartableDatabase.start(directory.resolve("pgdata"));
        pool = database.pool(CONNECTION_TIMEOUT);
        KappaSchema.migrate(pool);
        ProjectionSchema.migrate(pool);
        store = EventStore.builder(pool).codec(TestEvents.codec()).pollInterval(Duration.ofMillis(200)).build();
    }

    @AfterEach
    void stopDatabase() {
        if (runtime != null) {
            runtime.close();
        }
        store.close();
        database.close();
    }

    @Test
    void databaseAndInMemoryProjectionsWaitOutAnOutageAndCatchUpExactlyOnceAfterwards() throws Exception {
        CountingProjection counts = new CountingProjection(pool);
        InMemoryBalances balances = new InMemoryBalances();
        runtime = ProjectionRuntime.builder(pool, store)
                .retryPolicy(RetryPolicy.backOff(3, Duration.ofMillis(10), Duration.ofMillis(100)))
                .leaseDuration(LEASE)
                .build()
                .register(counts)
                .register(balances);
        appendDeposits(0, 20);
        runtime.start();
        awaitApplied("event-counts", 20);
        awaitApplied("memory-balances", 20);
        assertThat(runtime.fleet()).singleElement().satisfies(self -> assertThat(self.alive()).isTrue());

        database.stop();
        Instant stopped = Instant.now();

        // both say they wait for the database, with the error, and the status itself answers without it
        AtomicReference<List<ProjectionStatus>> during = new AtomicReference<>();
        await().atMost(PATIENCE).until(() -> {
            during.set(runtime.status());
            return during.get().stream().allMatch(status -> status.state() == ProjectionState.WAITING_FOR_DATABASE
                    && status.segments().stream().allMatch(segment -> segment.outage().isPresent()));
        });
        for (ProjectionStatus status : during.get()) {
            StoreOutage outage = status.outage().orElseThrow();
            assertThat(outage.since()).isAfterOrEqualTo(stopped.minusSeconds(1));
            assertThat(outage.error()).isNotBlank();
            assertThat(status.segments()).allSatisfy(segment -> {
                assertThat(segment.state()).isEqualTo(ProjectionState.WAITING_FOR_DATABASE);
                assertThat(segment.outage()).isPresent();
            });
            assertThat(status.checkpoint()).isEqualTo(20);
        }
        // longer than the pool's timeout (many times over) and the lease
        await().atMost(PATIENCE).until(() -> Duration.between(stopped, Instant.now()).compareTo(LEASE.plusSeconds(2)) > 0);
        assertThat(runtime.status()).allSatisfy(status ->
                assertThat(status.state()).isEqualTo(ProjectionState.WAITING_FOR_DATABASE));
        // and the fleet answers too: this instance, with what it runs, its heartbeat lapsed
        assertThat(runtime.fleet()).singleElement().satisfies(self -> {
            assertThat(self.self()).isTrue();
            assertThat(self.alive()).isFalse();
            assertThat(self.projections()).containsExactly("event-counts", "memory-balances");
        });

        database.restart();
        await().atMost(PATIENCE).ignoreExceptions().until(() -> store.head() == 20);
        assertThat(appendDeposits(20, 20).toOffset()).isEqualTo(40);

        awaitApplied("event-counts", 40);
        awaitApplied("memory-balances", 40);
        // exactly once: every deposit counted once, in the table and in the cache
        assertThat(new Sql(pool).queryLong("SELECT sum(events) FROM event_counts")).isEqualTo(40);
        long depositedTotal = 0;
        for (int i = 0; i < 40; i++) {
            depositedTotal += i;
        }
        assertThat(balances.snapshot().values().stream().mapToLong(InMemoryBalances.Balance::balance).sum())
                .isEqualTo(depositedTotal);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(runtime.status()).allSatisfy(status -> {
            assertThat(status.state()).isEqualTo(ProjectionState.RUNNING);
            assertThat(status.outage()).isEmpty();
        }));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(runtime.fleet()).singleElement()
                .satisfies(self -> assertThat(self.alive()).isTrue()));
    }

    /** Appends {@code count} deposits of amounts {@code first}, {@code first + 1}, ..., one stream per amount. */
    private AppendResult appendDeposits(int first, int count) {
        AppendResult last = null;
        for (int i = first; i < first + count; i++) {
            last = store.append("account-" + i, ExpectedVersion.any(), List.of(deposited(i)));
        }
        return last;
    }

    private void awaitApplied(String projection, long offset) throws InterruptedException {
        CheckpointWait wait = runtime.awaitCheckpoint(projection, offset, PATIENCE);
        assertThat(wait.reached()).as("projection %s reached offset %d but stopped at %d", projection, offset,
                wait.checkpoint()).isTrue();
    }
}
