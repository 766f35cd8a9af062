package dev.kappa.projections;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.eventstore.LogShare;

import static dev.kappa.projections.TestEvents.deposited;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several runtimes on one database share a projection's segments: each segment is processed by one of them at a time,
 * handed over when its owner stops or dies, and never applied twice.
 */
class MultiInstanceIntegrationTest extends ProjectionIntegrationTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    /** The runtime's default lease: its periodic renewals are 10 s apart, far beyond a handover "at once". */
    private static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /**
     * How soon a handover counts as "at once": it takes well under a second, but the machine may be loaded; still half
     * the 10 s to the next periodic renewal, which the tests line up with so that waiting for it cannot pass.
     */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    MultiInstanceIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void twoRuntimesShareTheSegmentsApplyEveryEventOnceAndStoppingOneHandsItsSegmentsToTheOther() throws Exception {
        // given two runtimes running the same four-segment projection, while events keep coming
        ProjectionRuntime a = instance("a");
        a.start();
        AtomicBoolean appending = new AtomicBoolean(true);
        AtomicInteger appended = new AtomicInteger();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writing = writer.submit(() -> {
            while (appending.get()) {
                append("stream-" + appended.get() % 50, deposited(appended.incrementAndGet()));
                LockSupportPause.brief();
            }
            return null;
        });
        ProjectionRuntime b = instance("b");
        b.start();

        // then they settle on two segments each
        await().atMost(PATIENCE).until(() -> owners(a).equals(Map.of("a", 2L, "b", 2L)));

        // when one of them stops
        a.close();

        // then the other takes its segments over at once
        await().atMost(Duration.ofSeconds(10)).until(() -> owners(b).equals(Map.of("b", 4L)));
        appending.set(false);
        writing.get(1, TimeUnit.MINUTES);
        writer.shutdown();

        // and every event was applied once, some by each
        long head = awaitHead(b, "shared");
        assertThat(head).isEqualTo(appended.get());
        assertThat(sql.queryLong("SELECT count(*) FROM shared_applied")).isEqualTo(head);
        assertThat(sql.queryLong("SELECT count(DISTINCT event_offset) FROM shared_applied")).isEqualTo(head);
        assertThat(sql.map("SELECT instance, count(*) FROM shared_applied GROUP BY instance"))
                .containsOnlyKeys("a", "b");
    }

    @Test
    void aRuntimeThatClosesHandsItsSegmentsToTheSurvivorAtOnce() throws Exception {
        // given two runtimes sharing a four-segment projection under the default 30 s lease, two segments each
        ProjectionRuntime leaving = instance("leaving", DEFAULT_LEASE);
        leaving.start();
        ProjectionRuntime survivor = instance("survivor", DEFAULT_LEASE);
        survivor.start();
        await().atMost(PATIENCE).until(() -> owners(survivor).equals(Map.of("leaving", 2L, "survivor", 2L)));
        // and the survivor has just renewed its membership, so that its next periodic look is 10 s away: only the
        // close itself can make it take the segments over sooner
        awaitHeartbeat("survivor");

        // when the other one closes
        long closing = System.nanoTime();
        leaving.close();

        // then the survivor holds every segment within about a second
        await().atMost(AT_ONCE).pollInterval(Duration.ofMillis(20))
                .until(() -> owners(survivor).equals(Map.of("survivor", 4L)));
        Duration handover = Duration.ofNanos(System.nanoTime() - closing);
        assertThat(handover).isLessThan(AT_ONCE);

        // and processes what comes next
        append("stream-1", deposited(1));
        awaitHead(survivor, "shared");
        assertThat(sql.map("SELECT instance, count(*) FROM shared_applied GROUP BY instance"))
                .isEqualTo(Map.of("survivor", 1L));
    }

    @Test
    void aRuntimeThatJoinsGetsItsShareAtOnce() throws Exception {
        // given a runtime holding every segment under the default 30 s lease, whose workers have just renewed their
        // leases, so that their next periodic renewal is 10 s away
        ProjectionRuntime first = instance("first", DEFAULT_LEASE);
        first.start();
        await().atMost(PATIENCE).until(() -> owners(first).equals(Map.of("first", 4L)));
        awaitLeasesRenewed();

        // when another runtime joins
        ProjectionRuntime joining = instance("joining", DEFAULT_LEASE);
        joining.start();

        // then they share the segments within about a second
        await().atMost(AT_ONCE).pollInterval(Duration.ofMillis(20))
                .until(() -> owners(joining).equals(Map.of("first", 2L, "joining", 2L)));
    }

    @Test
    void theSegmentsOfADeadInstanceAreTakenOverOnceItsLeaseExpires() throws Exception {
        // given an instance that died holding every segment, its lease still running
        ProjectionRuntime first = instance("first");
        first.start();
        first.close();
        jdbc.update("UPDATE kappa_projection_segments SET owner = 'ghost',"
                + " lease_until = now() + interval '2 seconds'");
        jdbc.update("INSERT INTO kappa_projection_members VALUES ('shared', 1, 'ghost', now() + interval '2 seconds')");
        append("stream-1", deposited(1));

        // when another instance starts
        long started = System.nanoTime();
        ProjectionRuntime survivor = instance("survivor");
        survivor.start();

        // then it waits for the lease to expire, and takes over within a lease and a renewal interval after
        assertThat(owners(survivor)).isEqualTo(Map.of("ghost", 4L));
        awaitHead(survivor, "shared");
        Duration takeover = Duration.ofNanos(System.nanoTime() - started);
        assertThat(takeover).isBetween(Duration.ofMillis(1_000), LEASE.plus(LEASE.dividedBy(3)).plusSeconds(2));
        assertThat(owners(survivor)).isEqualTo(Map.of("survivor", 4L));
        assertThat(sql.queryLong("SELECT count(*) FROM shared_applied")).isEqualTo(1);
    }

    @Test
    void anOwnerThatLostItsLeaseMidBatchCannotCommitIt() throws Exception {
        // given an owner held in the middle of a batch
        Gate gate = new Gate();
        SharedProjection held = new SharedProjection(dataSource, "held", gate, 3);
        ProjectionRuntime owner = runtime(builder -> builder.instanceId("held").leaseDuration(LEASE), held);
        owner.start();
        gate.close();
        try {
            append("stream-1", deposited(1), deposited(2), deposited(3), deposited(4));
            gate.awaitWaiting();

            // when another instance takes its lease meanwhile (the owner was paused past its lease, say)
            jdbc.update("UPDATE kappa_projection_segments SET owner = 'thief', lease_until = now() + interval '1 hour'");
        } finally {
            gate.open();
        }

        // then the owner's commit is refused, and nothing of its batch is applied
        await().atMost(PATIENCE).until(() -> owner.status("shared").segments().stream()
                .allMatch(segment -> "thief".equals(segment.owner())));
        assertThat(sql.queryLong("SELECT count(*) FROM shared_applied")).isZero();
        assertThat(sql.queryLong("SELECT checkpoint FROM kappa_projection_segments WHERE segment = ?",
                LogShare.segmentOf("stream-1", 4))).isZero();
    }

    private ProjectionRuntime instance(String id) {
        return instance(id, LEASE);
    }

    private ProjectionRuntime instance(String id, Duration lease) {
        return runtime(builder -> builder.instanceId(id).leaseDuration(lease),
                new SharedProjection(dataSource, id, new Gate(), -1));
    }

    /** Waits until the instance's membership heartbeat has been renewed once more than it is now. */
    private void awaitHeartbeat(String instance) {
        String query = "SELECT heartbeat_until FROM kappa_projection_members WHERE projection = 'shared'"
                + " AND instance_id = ?";
        Object before = jdbc.queryForObject(query, Object.class, instance);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> !before.equals(jdbc.queryForObject(query, Object.class, instance)));
    }

    /** Waits until every segment's lease has been renewed since now. */
    private void awaitLeasesRenewed() {
        Object latest = jdbc.queryForObject("SELECT max(lease_until) FROM kappa_projection_segments"
                + " WHERE projection = 'shared'", java.sql.Timestamp.class);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> Boolean.TRUE.equals(
                jdbc.queryForObject("SELECT bool_and(lease_until > ?) FROM kappa_projection_segments"
                        + " WHERE projection = 'shared'", Boolean.class, latest)));
    }

    /** How many segments each instance holds, by the status's owners. */
    private static Map<String, Long> owners(ProjectionRuntime runtime) {
        Map<String, Long> owners = new java.util.TreeMap<>();
        for (SegmentStatus segment : runtime.status("shared").segments()) {
            if (segment.owner() != null) {
                owners.merge(segment.owner(), 1L, Long::sum);
            }
        }
        return owners;
    }

    /** Records which instance applied each event; no key, so that an event applied twice would show. */
    @Projection(value = "shared", segments = 4)
    static final class SharedProjection {
        private final JdbcTemplate jdbc;
        private final String instance;
        private final Gate gate;
        private final long holdAt;

        SharedProjection(DataSource dataSource, String instance, Gate gate, long holdAt) {
            this.jdbc = new JdbcTemplate(dataSource);
            this.instance = instance;
            this.gate = gate;
            this.holdAt = holdAt;
            jdbc.execute("CREATE TABLE IF NOT EXISTS shared_applied (event_offset bigint NOT NULL, instance text NOT"
                    + " NULL)");
        }

        @EventHandler
        void on(Object event, EventContext context) {
            jdbc.update("INSERT INTO shared_applied VALUES (?, ?)", context.offset(), instance);
            if (context.offset() == holdAt) {
                gate.pass();
            }
        }
    }

    /** A writer's pause between appends, so that the log grows while the test acts. */
    private static final class LockSupportPause {
        static void brief() {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
