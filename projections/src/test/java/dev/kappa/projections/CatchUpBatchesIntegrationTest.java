package dev.kappa.projections;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.projections.TestEvents.MoneyDeposited;

import static dev.kappa.projections.TestEvents.deposited;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a catch-up batch ends besides its most events: once its handlers staged the most rows it may hold, and once
 * it has run for a third of the lease. Each batch is seen through its observation, which names where it began.
 */
class CatchUpBatchesIntegrationTest extends ProjectionIntegrationTest {

    private final List<String> batchesFrom = new CopyOnWriteArrayList<>();
    private final ObservationRegistry registry = ObservationRegistry.create();

    CatchUpBatchesIntegrationTest(DataSource dataSource) {
        super(dataSource);
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                batchesFrom.add(context.getHighCardinalityKeyValue("kappa.from").getValue());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return "kappa.projection.batch".equals(context.getName());
            }
        });
    }

    @Test
    void aBatchEndsWithThePageInWhichItsHandlersStagedTheMostRowsItMay() throws Exception {
        // given 60 deposits to 60 accounts, and 60 to 3 accounts after them
        for (int i = 1; i <= 60; i++) {
            append("acc-" + i, deposited(i));
        }
        for (int i = 1; i <= 60; i++) {
            append("acc-" + i % 3, deposited(1));
        }

        // when the projection catches up in pages of 10, batches of up to 1,000 events but 20 staged rows
        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(1_000).catchUpStagedRows(20)
                .readPageSize(10).observationRegistry(registry), new UpsertsIntegrationTest.Stats(dataSource));
        runtime.start();
        awaitHead(runtime, "stats");

        // then a batch ends once it staged 20 rows (two pages of new accounts), while the 60 events on 3 accounts
        // merge into 3 rows and are one batch; every event counts once
        assertThat(batchesFrom).containsExactly("0", "20", "40", "60");
        assertThat(sql.queryLong("SELECT sum(total) FROM stats")).isEqualTo(1830 + 60);
        assertThat(sql.queryLong("SELECT count(*) FROM stats")).as("acc-1 to acc-60, and acc-0").isEqualTo(61);
    }

    @Test
    void aSlowBatchEndsOnceItHasRunForAThirdOfTheLeaseSoThatTheLeaseIsRenewedInTime() throws Exception {
        // given 20 events that take 25 ms each to apply
        for (int i = 1; i <= 20; i++) {
            append("acc-" + i % 4, deposited(i));
        }

        // when the projection catches up in pages of 2, with a lease of 300 ms (renewed every 100 ms) and room for
        // every event in one batch
        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(1_000).readPageSize(2)
                .leaseDuration(Duration.ofMillis(300)).observationRegistry(registry), new Slow(dataSource));
        runtime.start();
        awaitHead(runtime, "slow");

        // then no batch runs much past 100 ms (two or three pages of 50 ms), and every event counts once
        assertThat(batchesFrom).as("the batches' first offsets").hasSizeGreaterThanOrEqualTo(4)
                .doesNotHaveDuplicates();
        assertThat(sql.queryLong("SELECT sum(events) FROM slow_counts")).isEqualTo(20);
        assertThat(sql.queryLong("SELECT sum(total) FROM slow_counts")).isEqualTo(210);
    }

    /** Takes 25 ms per event, as a projection that calls something slow would. */
    @Projection("slow")
    static final class Slow {
        private final Upserts counts = Upserts.into("slow_counts").key("account_id").add("events", "total");

        Slow(DataSource dataSource) {
            new JdbcTemplate(dataSource).execute("CREATE TABLE IF NOT EXISTS slow_counts (account_id text PRIMARY KEY,"
                    + " events bigint NOT NULL, total bigint NOT NULL)");
        }

        @EventHandler
        void on(MoneyDeposited event, EventContext context) throws InterruptedException {
            Thread.sleep(25);
            counts.row(context.streamId()).put("events", 1).put("total", event.amount());
        }
    }
}
