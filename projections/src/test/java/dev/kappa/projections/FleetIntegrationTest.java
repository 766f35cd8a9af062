package dev.kappa.projections;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.projections.MultiInstanceIntegrationTest.SharedProjection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The fleet as {@link ProjectionMonitor#fleet()} shows it: every runtime on the database, by its memberships and leases,
 * the same from each side but for who is {@code self}.
 */
class FleetIntegrationTest extends ProjectionIntegrationTest {

    FleetIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void twoRuntimesOnOneDatabaseSeeEachOtherWithTheirProjectionsAndSegments() {
        // given runtime "a" with a four-segment database projection, another database projection and an in-memory
        // one, and runtime "b" with the four-segment one only
        ProjectionRuntime a = runtime(builder -> builder.instanceId("a"),
                new SharedProjection(dataSource, "a", new Gate(), -1), new CountingProjection(dataSource),
                new InMemoryBalances());
        a.start();
        ProjectionRuntime b = runtime(builder -> builder.instanceId("b"),
                new SharedProjection(dataSource, "b", new Gate(), -1));
        b.start();

        // when they have shared the segments: "shared" two each, "event-counts" (one segment) on "a"
        // then each lists both, itself as self; "a" sees its in-memory projection and its two segments, "b" does not
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(a.fleet())
                .extracting(FleetInstance::instanceId, FleetInstance::self, FleetInstance::alive,
                        FleetInstance::projections, FleetInstance::segments)
                .containsExactly(tuple("a", true, true, List.of("event-counts", "memory-balances", "shared"), 5),
                        tuple("b", false, true, List.of("shared"), 2)));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(b.fleet())
                .extracting(FleetInstance::instanceId, FleetInstance::self, FleetInstance::alive,
                        FleetInstance::projections, FleetInstance::segments)
                .containsExactly(tuple("a", false, true, List.of("event-counts", "shared"), 3),
                        tuple("b", true, true, List.of("shared"), 2)));
        assertThat(b.fleet()).allSatisfy(instance ->
                assertThat(instance.heartbeatUntil()).isAfter(Instant.now().minusSeconds(60)));

        // and when "b" closes, it leaves: "a" alone is left
        b.close();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(a.fleet())
                .extracting(FleetInstance::instanceId, FleetInstance::segments)
                .containsExactly(tuple("a", 2 + 4 + 1)));
    }

    @Test
    void anInstanceWhoseHeartbeatLapsedIsNotAliveAndOneLapsedForADayIsForgotten() {
        // given a running runtime, an instance that stopped renewing its heartbeat a minute ago, and one two days ago
        ProjectionRuntime a = runtime(builder -> builder.instanceId("a"),
                new SharedProjection(dataSource, "a", new Gate(), -1));
        a.start();
        await().atMost(PATIENCE).until(() -> a.fleet().get(0).segments() == 4);
        jdbc.update("INSERT INTO kappa_projection_members VALUES ('shared', 1, 'lapsed', now() - interval '1 minute')");
        jdbc.update("INSERT INTO kappa_projection_members VALUES ('shared', 1, 'gone', now() - interval '2 days')");

        // when
        List<FleetInstance> fleet = a.fleet();

        // then the lapsed one is listed as not alive, the long gone one not at all
        assertThat(fleet).extracting(FleetInstance::instanceId, FleetInstance::self, FleetInstance::alive,
                        FleetInstance::segments)
                .containsExactly(tuple("a", true, true, 4), tuple("lapsed", false, false, 0));
        assertThat(fleet.get(1).heartbeatUntil()).isBefore(Instant.now());
    }

    @Test
    void aRuntimeWithOnlyInMemoryProjectionsIsItsOwnFleet() {
        // given
        ProjectionRuntime memory = runtime(builder -> builder.instanceId("memory"), new InMemoryBalances());
        memory.start();

        // when, then: both segments' workers count once they have started (they start on threads of their own)
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(memory.fleet()).singleElement().satisfies(instance -> {
            assertThat(instance.instanceId()).isEqualTo("memory");
            assertThat(instance.self()).isTrue();
            assertThat(instance.alive()).isTrue();
            assertThat(instance.projections()).containsExactly("memory-balances");
            assertThat(instance.segments()).isEqualTo(2);
        }));

        // and once closed it no longer counts as alive
        memory.close();
        assertThat(memory.fleet()).singleElement().extracting(FleetInstance::alive).isEqualTo(false);
    }
}
