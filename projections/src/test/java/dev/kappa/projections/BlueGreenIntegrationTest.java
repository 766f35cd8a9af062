package dev.kappa.projections;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Blue-green rebuilds: a new generation is built beside the one readers use, which stays complete and live until the
 * new one has caught up; then readers are switched in one step and the old tables dropped.
 */
class BlueGreenIntegrationTest extends ProjectionIntegrationTest {

    private static final int STREAMS = 20;
    private static final int EVENTS = 2_000;

    BlueGreenIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void readersSeeTheCompleteOldVersionUntilTheSwitchAndTheCompleteNewOneAfterNeverAHalfBuiltTable() throws Exception {
        // given version 1 built and serving readers through the view
        appendEvents(EVENTS);
        ProjectionRuntime first = started(new TotalsProjections.V1(dataSource));
        awaitHead(first, "totals");
        first.close();
        assertThat(totals()).isEqualTo(new Totals(STREAMS, EVENTS));

        // when version 2 is deployed beside version 1, in small batches, held half way
        Gate gate = new Gate();
        gate.close();
        List<Totals> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        ExecutorService readers = Executors.newSingleThreadExecutor();
        Future<?> reader = readers.submit(() -> {
            while (reading.get()) {
                seen.add(totals());
            }
            return null;
        });
        ProjectionRuntime second = runtime(builder -> builder.catchUpBatchSize(100),
                new TotalsProjections.V1(dataSource), new TotalsProjections.V2(dataSource, gate, EVENTS / 2));
        try {
            second.start();
            gate.awaitWaiting();

            // then readers still get the complete version 1, while version 2 is half built beside it
            ProjectionStatus building = second.status("totals");
            assertThat(building.state()).isEqualTo(ProjectionState.REBUILDING);
            assertThat(building.current().orElseThrow().generation()).isEqualTo(1);
            GenerationStatus rebuild = building.rebuild().orElseThrow();
            assertThat(rebuild.generation()).isEqualTo(2);
            assertThat(rebuild.version()).isEqualTo(2);
            assertThat(rebuild.progress().offset()).isBetween(1L, EVENTS / 2 - 1L);
            assertThat(rebuild.progress().head()).isEqualTo(EVENTS);
            assertThat(sql.queryLong("SELECT count(*) FROM totals_g2")).isPositive();
            assertThat(totals()).isEqualTo(new Totals(STREAMS, EVENTS));

            // and version 1 keeps following the log until the switch
            appendEvents(5);
            await().atMost(PATIENCE).until(() -> totals().equals(new Totals(STREAMS, EVENTS + 5)));
        } finally {
            gate.open();
        }
        await().atMost(PATIENCE).until(() -> second.status("totals").rebuild().isEmpty());
        reading.set(false);
        reader.get(1, TimeUnit.MINUTES);
        readers.shutdown();

        // then readers moved from complete version 1 to complete version 2 in one step
        Totals v2 = new Totals(STREAMS, 10L * (EVENTS + 5));
        assertThat(totals()).isEqualTo(v2);
        assertThat(sql.queryLongs("SELECT count(*) FROM totals WHERE kind = 'v2'")).containsExactly((long) STREAMS);
        int switchedAt = seen.indexOf(v2);
        assertThat(switchedAt).as("readers saw version 2").isPositive();
        assertThat(seen.subList(0, switchedAt)).as("before the switch: version 1, complete")
                .allMatch(t -> t.streams() == STREAMS && t.sum() >= EVENTS && t.sum() <= EVENTS + 5);
        assertThat(seen.subList(switchedAt, seen.size())).as("after the switch: version 2, complete")
                .allMatch(v2::equals);
        ProjectionStatus switched = second.status("totals");
        assertThat(switched.current().orElseThrow().generation()).isEqualTo(2);
        assertThat(switched.state()).isEqualTo(ProjectionState.RUNNING);
        await().atMost(PATIENCE).until(() -> sql.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'totals_g1'")
                == 0);
        assertThat(sql.queryLongs("SELECT generation FROM kappa_projection_generations WHERE projection = 'totals'"))
                .containsExactly(2L);
    }

    @Test
    void rebuildBuildsTheSameVersionBesideItselfWithItsProgressVisibleAndThenSwitches() throws Exception {
        appendEvents(3_000);
        Gate gate = new Gate();
        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(100),
                new TotalsProjections.V1(dataSource, gate, 1_500));
        runtime.start();
        awaitHead(runtime, "totals");
        Totals before = totals();

        gate.close();
        try {
            runtime.rebuild("totals");
            gate.awaitWaiting();

            GenerationStatus rebuild = runtime.status("totals").rebuild().orElseThrow();
            assertThat(rebuild.generation()).isEqualTo(2);
            assertThat(rebuild.version()).isEqualTo(1);
            assertThat(rebuild.state()).isEqualTo(ProjectionState.REBUILDING);
            Progress progress = rebuild.progress();
            assertThat(progress.offset()).isBetween(1L, 1_499L);
            assertThat(progress.head()).isEqualTo(3_000);
            assertThat(progress.lag()).isEqualTo(3_000 - progress.offset());
            assertThat(progress.eventsPerSecond()).isPositive();
            assertThat(progress.timeLeft()).hasValueSatisfying(left -> assertThat(left).isPositive());
            assertThat(totals()).isEqualTo(before);
        } finally {
            gate.open();
        }

        await().atMost(PATIENCE).until(() -> runtime.status("totals").current().orElseThrow().generation() == 2);
        assertThat(totals()).isEqualTo(before);
        await().atMost(PATIENCE).until(() -> sql.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'totals_g1'")
                == 0);
    }

    @Test
    void aFirstBuildGetsItsViewOnlyOnceItHasCaughtUp() throws Exception {
        appendEvents(500);
        Gate gate = new Gate();
        gate.close();
        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(50),
                new TotalsProjections.V1(dataSource, gate, 250));
        try {
            runtime.start();
            gate.awaitWaiting();

            assertThat(sql.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'totals'")).isZero();
            ProjectionStatus status = runtime.status("totals");
            assertThat(status.current()).isEmpty();
            assertThat(status.rebuild().orElseThrow().generation()).isEqualTo(1);
            assertThat(runtime.isCaughtUp()).isFalse();
        } finally {
            gate.open();
        }

        assertThat(runtime.awaitCaughtUp(PATIENCE)).isTrue();
        awaitHead(runtime, "totals");
        assertThat(totals()).isEqualTo(new Totals(STREAMS, 500));
    }

    @Test
    void aResetInPlaceOfABlueGreenProjectionWithoutResetHandlerEmptiesItsTablesAndReplays() throws Exception {
        appendEvents(200);
        ProjectionRuntime runtime = started(new TotalsProjections.V1(dataSource));
        awaitHead(runtime, "totals");
        jdbc.update("UPDATE totals SET n = -1");

        runtime.reset("totals");

        awaitHead(runtime, "totals");
        assertThat(totals()).isEqualTo(new Totals(STREAMS, 200));
        assertThat(runtime.status("totals").current().orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    void aRuntimeWithOlderCodeLeavesANewerVersionAlone() throws Exception {
        appendEvents(100);
        ProjectionRuntime newer = started(new TotalsProjections.V2(dataSource, new Gate(), -1));
        awaitHead(newer, "totals");
        newer.close();

        ProjectionRuntime older = started(new TotalsProjections.V1(dataSource));
        appendEvents(10);

        ProjectionStatus status = older.status("totals");
        assertThat(status.note()).contains("superseded").contains("version 2");
        assertThat(status.current().orElseThrow().version()).isEqualTo(2);
        assertThat(older.isCaughtUp("totals")).isTrue();
        assertThat(sql.queryLongs("SELECT generation FROM kappa_projection_generations")).containsExactly(1L);
        assertThat(totals()).isEqualTo(new Totals(STREAMS, 1_000));
    }

    @Test
    void aNewVersionIsBuiltInFullWhileAnotherInstanceStillRunsOnlyTheOldOne() throws Exception {
        // given an instance running version 1 in four segments
        appendEvents(400);
        ProjectionRuntime old = runtime(builder -> builder.instanceId("old").defaultSegments(4)
                .leaseDuration(Duration.ofSeconds(2)), new TotalsProjections.V1(dataSource));
        old.start();
        awaitHead(old, "totals");

        // when another instance starts with versions 1 and 2
        ProjectionRuntime upgraded = runtime(builder -> builder.instanceId("new").defaultSegments(4)
                        .leaseDuration(Duration.ofSeconds(2)), new TotalsProjections.V1(dataSource),
                new TotalsProjections.V2(dataSource, new Gate(), -1));
        upgraded.start();

        // then it builds every segment of version 2 alone (the old instance shares only version 1) and switches
        await().atMost(PATIENCE).until(() -> upgraded.status("totals").current().orElseThrow().version() == 2);
        assertThat(totals()).isEqualTo(new Totals(STREAMS, 4_000));
        await().atMost(PATIENCE).until(() -> old.status("totals").note().contains("superseded"));
        appendEvents(4);
        awaitHead(upgraded, "totals");
        assertThat(totals()).isEqualTo(new Totals(STREAMS, 4_040));
    }

    @Test
    void raisingTheVersionOfAProjectionWithoutTablesRebuildsItInPlace() throws Exception {
        appendEvents(300);
        CountingProjection counting = new CountingProjection(dataSource);
        ProjectionRuntime first = started(counting);
        awaitHead(first, "event-counts");
        first.close();
        Map<String, Long> counts = sql.map("SELECT stream_id, events FROM event_counts");
        jdbc.update("UPDATE event_counts SET events = -1");

        CountingV2 v2 = new CountingV2(dataSource);
        ProjectionRuntime second = started(v2);

        awaitHead(second, "event-counts");
        assertThat(sql.map("SELECT stream_id, events FROM event_counts")).isEqualTo(counts);
        assertThat(v2.handled.get()).isEqualTo(300);
        assertThat(second.status("event-counts").current().orElseThrow().version()).isEqualTo(2);
    }

    /** Version 2 of the event counts: the same code, rebuilt in place. */
    @Projection(value = "event-counts", version = 2)
    static final class CountingV2 extends CountingProjection {
        CountingV2(DataSource dataSource) {
            super(dataSource);
        }
    }

    private void appendEvents(int count) {
        for (int i = 0; i < count; i++) {
            append("stream-" + i % STREAMS, i % 4 == 0 ? note("n") : deposited(i));
        }
    }

    private Totals totals() {
        return jdbc.queryForObject("SELECT count(*), coalesce(sum(n), 0) FROM totals",
                (rs, n) -> new Totals(rs.getLong(1), rs.getLong(2)));
    }

    private record Totals(long streams, long sum) {
    }
}
