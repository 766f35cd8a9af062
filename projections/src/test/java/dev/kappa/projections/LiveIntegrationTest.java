package dev.kappa.projections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventStoreBuilder;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live mode: appends reach the read model within milliseconds, because the log's notifications wake the workers and
 * the workers' commits wake whoever waits for a checkpoint; nobody polls.
 */
class LiveIntegrationTest extends ProjectionIntegrationTest {

    /** Long enough that only a notification can wake anyone within a test's patience. */
    private static final Duration NEVER = Duration.ofMinutes(10);

    LiveIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    void configureStore(EventStoreBuilder builder) {
        builder.pollInterval(NEVER);
    }

    @Test
    void anAppendIsVisibleInADatabaseReadModelWithinABoundedTimeWokenByNotifications() throws Exception {
        // given a caught-up projection whose worker neither polls the log nor renews its lease for minutes
        append("acc-1", opened("Ada"));
        ProjectionRuntime runtime = runtime(builder -> builder.leaseDuration(NEVER), new BalanceProjection(dataSource));
        runtime.start();
        awaitHead(runtime, "balances");

        List<Long> latencies = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            // when an event is appended
            long started = System.nanoTime();
            AppendResult result = append("acc-1", deposited(i));

            // then the projection has applied it, and says so, within a bounded time
            assertThat(runtime.awaitCheckpoint("balances", result.toOffset(), Duration.ofSeconds(5)).reached()).isTrue();
            latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertThat(sql.queryLong("SELECT version FROM account_balance WHERE account_id = 'acc-1'"))
                    .isEqualTo(result.streamVersion());
        }
        Collections.sort(latencies);
        System.out.println("append-to-read-model latencies, ms: " + latencies);
        assertThat(latencies.get(latencies.size() - 1)).as("slowest, ms: %s", latencies).isLessThan(2_000);
        assertThat(latencies.get(latencies.size() / 2)).as("median, ms: %s", latencies).isLessThan(250);
    }

    @Test
    void afterEachOf1000AppendsWaitingOnItsOffsetThenReadingTheReadModelShowsTheWrite() throws Exception {
        ProjectionRuntime runtime = started(new BalanceProjection(dataSource), new UpsertCountingProjection(dataSource));
        for (int i = 1; i <= 1_000; i++) {
            String account = "acc-" + i % 10;
            AppendResult result = append(account, i <= 10 ? opened("owner") : deposited(i));

            CheckpointWait balances = runtime.awaitCheckpoint("balances", result.toOffset(), PATIENCE);
            CheckpointWait counts = runtime.awaitCheckpoint("upsert-counts", result.toOffset(), PATIENCE);

            assertThat(balances.reached()).isTrue();
            assertThat(counts.reached()).isTrue();
            assertThat(sql.queryLong("SELECT version FROM account_balance WHERE account_id = ?", account))
                    .isEqualTo(result.streamVersion());
            assertThat(sql.queryLong("SELECT events FROM upsert_counts WHERE stream_id = ?", account))
                    .isEqualTo(result.streamVersion());
        }
    }

    @Test
    void aWaitThatTimesOutReportsTheCheckpointReached() throws Exception {
        Gate gate = new Gate();
        gate.close();
        RecordingHeld held = new RecordingHeld(dataSource, gate);
        ProjectionRuntime runtime = started(held);
        try {
            append("s", deposited(1));
            AppendResult second = append("s", deposited(2));
            gate.awaitWaiting();

            long started = System.nanoTime();
            CheckpointWait wait = runtime.awaitCheckpoint("held", second.toOffset(), Duration.ofMillis(300));

            assertThat(wait.reached()).isFalse();
            assertThat(wait.checkpoint()).isLessThan(second.toOffset());
            assertThat(wait).isEqualTo(new CheckpointWait("held", second.toOffset(), wait.checkpoint()));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        } finally {
            gate.open();
        }
        assertThat(runtime.awaitCheckpoint("held", store.head(), PATIENCE).reached()).isTrue();
    }

    @Test
    void aWaitInOneRuntimeIsWokenByTheCommitOfAnotherRuntimesWorker() throws Exception {
        // given one instance that owns the projection and another that only serves reads
        Gate gate = new Gate();
        ProjectionRuntime owner = runtime(builder -> builder.instanceId("owner"), new RecordingHeld(dataSource, gate));
        owner.start();
        awaitOwner(owner, "owner");
        ProjectionRuntime reader = runtime(builder -> builder.instanceId("reader"),
                new RecordingHeld(dataSource, new Gate()));
        reader.start();

        List<Long> latencies = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            // when the reader waits for an offset the owner has not applied yet
            gate.close();
            AppendResult result;
            CompletableFuture<CheckpointWait> waiting;
            try {
                result = append("s", deposited(i));
                gate.awaitWaiting();
                waiting = CompletableFuture.supplyAsync(() -> awaitCheckpoint(reader, result.toOffset()));
                // the waiter reads the database first, finds the offset not applied, and waits
                CompletableFuture<CheckpointWait> pending = waiting;
                await().during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5)).until(() -> !pending.isDone());
            } finally {
                gate.open();
            }
            long opened = System.nanoTime();

            // then the owner's commit wakes it
            assertThat(waiting.get(1, TimeUnit.MINUTES).reached()).isTrue();
            latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened));
        }
        awaitOwner(reader, "owner");
        Collections.sort(latencies);
        System.out.println("commit-to-other-runtime latencies, ms: " + latencies);
        assertThat(latencies.get(latencies.size() / 2)).as("median, ms: %s", latencies).isLessThan(250);
    }

    private static CheckpointWait awaitCheckpoint(ProjectionRuntime runtime, long offset) {
        try {
            return runtime.awaitCheckpoint("held", offset, PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitOwner(ProjectionRuntime runtime, String owner) {
        await().atMost(PATIENCE).until(() -> runtime.status("held").segments().stream()
                .allMatch(segment -> owner.equals(segment.owner())));
    }

    /** Records events like {@link RecordingProjection}, holding each at a gate after writing it. */
    @Projection("held")
    static final class RecordingHeld extends RecordingProjection {
        private final Gate gate;

        RecordingHeld(DataSource dataSource, Gate gate) {
            super(dataSource, "held_recorded");
            this.gate = gate;
        }

        @Override
        @EventHandler
        void on(Object event, EventContext context) {
            super.on(event, context);
            gate.pass();
        }
    }
}
