package dev.kappa.projections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.note;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database read model reflects every event exactly once, whatever happens to the workers' connections: killed
 * mid-batch, mid-commit, or between batches.
 */
class ExactlyOnceIntegrationTest extends ProjectionIntegrationTest {

    private static final int WRITERS = 8;
    private static final int EVENTS_PER_WRITER = 2_500;
    private static final int STREAMS = 200;

    /** The last statement of a worker's connection names a read-model table or the checkpoint table. */
    private static final String WORKER_BACKENDS = """
            SELECT pid FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND (query LIKE '%event_counts%' OR query LIKE '%upsert_counts%'
                    OR query LIKE '%kappa_projection_segments%')
               AND query NOT LIKE '%pg_stat_activity%' AND query NOT LIKE '%pg_terminate_backend%'""";

    ExactlyOnceIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    /**
     * The store appends and reads on a pool of its own, so that the kills aimed at the workers' transactions never
     * hit the test's own appends (a killed connection idles in its pool until it is next used).
     */
    @Override
    DataSource storeDataSource() {
        return secondPool();
    }

    @Test
    void everyCountEqualsTheLogAfterWorkerConnectionsAreKilledAtRandomWhile20000EventsAreAppended() throws Exception {
        // given two projections, one writing per event with JdbcTemplate, one staging Upserts in four segments
        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(500).liveBatchSize(50),
                new CountingProjection(dataSource), new UpsertCountingProjection(dataSource));
        runtime.start();

        // when writers append 20,000 events while a killer terminates the workers' connections at random moments
        Sql killerSql = new Sql(secondPool());
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 1);
        Future<?> killer = threads.submit(() -> {
            while (writing.get()) {
                try {
                    List<Long> pids = killerSql.queryLongs(WORKER_BACKENDS);
                    if (!pids.isEmpty()) {
                        long pid = pids.get(ThreadLocalRandom.current().nextInt(pids.size()));
                        killerSql.queryLong("SELECT count(*) FROM (SELECT pg_terminate_backend(?::int)) killed", pid);
                        kills.incrementAndGet();
                    }
                } catch (org.springframework.dao.DataAccessException e) {
                    // the killer's pool lends it connections that the killer itself killed; it just goes on
                }
                // a random pause, so that kills land before, during and after statements and commits
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(500, 5_000)));
            }
            return null;
        });
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < EVENTS_PER_WRITER; i++) {
                    String stream = "stream-" + random.nextInt(STREAMS);
                    append(stream, i % 10 == 0 ? note("n" + i) : deposited(i));
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get(2, TimeUnit.MINUTES);
        }
        writing.set(false);
        killer.get(1, TimeUnit.MINUTES);
        threads.shutdown();

        // then, once recovered, every count equals the log
        long head = awaitHead(runtime, "event-counts");
        awaitHead(runtime, "upsert-counts");
        assertThat(head).isEqualTo(WRITERS * EVENTS_PER_WRITER);
        assertThat(kills.get()).as("connections killed").isGreaterThan(20);
        Map<String, Long> log = sql.map("SELECT stream_id, count(*) FROM kappa_log GROUP BY stream_id");
        assertThat(sql.map("SELECT stream_id, events FROM event_counts")).isEqualTo(log);
        assertThat(sql.map("SELECT stream_id, events FROM upsert_counts")).isEqualTo(log);
        assertThat(sql.map("SELECT stream_id, last_offset FROM upsert_counts"))
                .isEqualTo(sql.map("SELECT stream_id, max(log_offset) FROM kappa_log GROUP BY stream_id"));
    }

    @Test
    void aCommitWhoseConnectionIsKilledIsEitherWholeOrAbsentAndNeverRepeated() throws Exception {
        // given a projection whose every batch is held, mid-transaction, until the test lets it go
        Gate gate = new Gate();
        GatedCountingProjection gated = new GatedCountingProjection(dataSource, gate);
        ProjectionRuntime runtime = started(gated);
        for (int round = 1; round <= 5; round++) {
            // when the worker is held inside a batch and its connection is killed under it
            gate.close();
            try {
                append("victim", deposited(round));
                gate.awaitWaiting();
                long pid = sql.queryLong("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND state = 'idle in transaction' AND query LIKE '%event_counts%'");
                sql.queryLong("SELECT count(*) FROM (SELECT pg_terminate_backend(?::int)) killed", pid);
            } finally {
                gate.open();
            }

            // then the batch is applied once, on a new connection, after the worker re-read its checkpoint
            awaitHead(runtime, "gated-counts");
            assertThat(sql.queryLong("SELECT events FROM event_counts WHERE stream_id = 'victim'")).isEqualTo(round);
        }
        assertThat(gated.handled.get()).as("handler calls: each event once per attempt").isEqualTo(10);
    }

    /** Counts like {@link CountingProjection}, but each event passes a gate after its row is written. */
    @Projection("gated-counts")
    static final class GatedCountingProjection {
        final AtomicInteger handled = new AtomicInteger();
        private final CountingProjection counting;
        private final Gate gate;

        GatedCountingProjection(DataSource dataSource, Gate gate) {
            this.counting = new CountingProjection(dataSource);
            this.gate = gate;
        }

        @EventHandler
        void on(Object event, EventContext context) {
            handled.incrementAndGet();
            counting.on(event, context);
            gate.pass();
        }
    }
}
