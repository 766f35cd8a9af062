package dev.kappa.projections;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.eventstore.NewEvent;
import dev.kappa.projections.TestEvents.MoneyDeposited;

import static dev.kappa.projections.TestEvents.deposited;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slow projection catching up a backlog in a fleet: its batches end within a third of the lease, so that its owner
 * renews the lease between them. A batch that outlived its lease would let the other instance take the segment over,
 * and be fenced at its commit; the two would then take turns redoing a batch neither can commit.
 */
class SlowCatchUpInAFleetIntegrationTest extends ProjectionIntegrationTest {

    private static final Duration LEASE = Duration.ofMillis(1_500);
    private static final int ACCOUNTS = 80;
    private static final int DEPOSITS_PER_ACCOUNT = 20;
    private static final int EVENTS = ACCOUNTS * DEPOSITS_PER_ACCOUNT;
    /** Generous for the 8 s of handler time the backlog takes, on a loaded machine; the test is over sooner. */
    private static final Duration CATCH_UP_BOUND = Duration.ofSeconds(40);

    /** The batches' outcomes, by name ({@code applied}, {@code fenced}...), from both instances. */
    private final Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    private final ObservationRegistry registry = ObservationRegistry.create();

    SlowCatchUpInAFleetIntegrationTest(DataSource dataSource) {
        super(dataSource);
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                outcomes.merge(context.getLowCardinalityKeyValue("kappa.outcome").getValue(), 1, Integer::sum);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return "kappa.projection.batch".equals(context.getName());
            }
        });
    }

    @Test
    void aSlowProjectionCatchesUpInAFleetOfTwoWithoutEverLosingItsLeaseMidBatch() {
        // given 1,600 deposits on 80 accounts in the log, and a projection that takes 5 ms per event: 8 s to catch
        // up, more than five leases of 1.5 s (long enough that a pause of the machine inside a bounded batch, which
        // runs about 0.5 s, does not outlive it)
        long expectedTotal = 0;
        for (int account = 0; account < ACCOUNTS; account++) {
            NewEvent[] deposits = new NewEvent[DEPOSITS_PER_ACCOUNT];
            for (int i = 0; i < DEPOSITS_PER_ACCOUNT; i++) {
                long amount = account * 100L + i + 1;
                deposits[i] = deposited(amount);
                expectedTotal += amount;
            }
            append("acc-" + account, deposits);
        }
        long head = store.head();

        // when two runtimes on the database run it, with room for the whole backlog in one batch, reading pages of
        // 4 events (20 ms of handler time)
        ProjectionRuntime a = instance("a");
        ProjectionRuntime b = instance("b");
        a.start();
        b.start();

        // then it reaches the head, and no batch of either instance is ever fenced at its commit
        await().atMost(CATCH_UP_BOUND).pollInterval(Duration.ofMillis(50))
                .failFast("a batch was fenced at its commit: it outlived its lease", () -> fenced() > 0)
                .until(() -> checkpoint() == head);
        assertThat(outcomes).as("the batches' outcomes").containsOnlyKeys("applied");
        // the backlog took several batches, each ended by the lease, not by its size
        assertThat(outcomes.get("applied")).as("batches applied").isGreaterThanOrEqualTo(6);

        // and every event was applied once, all of them by the instance that took the segment first: it never
        // changed hands while its owner ran
        assertThat(sql.queryLong("SELECT count(*) FROM slow_fleet_applied")).isEqualTo(EVENTS);
        assertThat(sql.queryLong("SELECT count(DISTINCT event_offset) FROM slow_fleet_applied")).isEqualTo(EVENTS);
        assertThat(sql.queryLong("SELECT count(DISTINCT instance) FROM slow_fleet_applied")).isEqualTo(1);
        assertThat(sql.queryLong("SELECT count(*) FROM slow_fleet_totals")).isEqualTo(ACCOUNTS);
        assertThat(sql.queryLong("SELECT sum(events) FROM slow_fleet_totals")).isEqualTo(EVENTS);
        assertThat(sql.queryLong("SELECT sum(total) FROM slow_fleet_totals")).isEqualTo(expectedTotal);
        assertThat(sql.queryLong("SELECT total FROM slow_fleet_totals WHERE account_id = 'acc-7'"))
                .isEqualTo(20 * 700 + 210);
    }

    private ProjectionRuntime instance(String id) {
        return runtime(builder -> builder.instanceId(id).leaseDuration(LEASE).catchUpBatchSize(1_000_000)
                .readPageSize(4).observationRegistry(registry), new SlowInAFleet(dataSource, id));
    }

    private int fenced() {
        return outcomes.getOrDefault("fenced", 0);
    }

    /** The projection's checkpoint, as the ledger has it. */
    private long checkpoint() {
        return sql.queryLong("SELECT coalesce(max(checkpoint), 0) FROM kappa_projection_segments"
                + " WHERE projection = 'slow-fleet'");
    }

    /**
     * Takes 5 ms per event, as a projection that calls something slow would; records which instance applied each
     * event, without a key, so that an event applied twice would show.
     */
    @Projection("slow-fleet")
    static final class SlowInAFleet {
        private final Upserts totals = Upserts.into("slow_fleet_totals").key("account_id").add("events", "total");
        private final JdbcTemplate jdbc;
        private final String instance;

        SlowInAFleet(DataSource dataSource, String instance) {
            this.jdbc = new JdbcTemplate(dataSource);
            this.instance = instance;
            jdbc.execute("CREATE TABLE IF NOT EXISTS slow_fleet_totals (account_id text PRIMARY KEY,"
                    + " events bigint NOT NULL, total bigint NOT NULL)");
            jdbc.execute("CREATE TABLE IF NOT EXISTS slow_fleet_applied (event_offset bigint NOT NULL,"
                    + " instance text NOT NULL)");
        }

        @EventHandler
        void on(MoneyDeposited event, EventContext context) throws InterruptedException {
            Thread.sleep(5);
            jdbc.update("INSERT INTO slow_fleet_applied VALUES (?, ?)", context.offset(), instance);
            totals.row(context.streamId()).put("events", 1).put("total", event.amount());
        }
    }
}
