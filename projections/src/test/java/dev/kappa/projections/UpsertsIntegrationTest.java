package dev.kappa.projections;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.projections.TestEvents.MoneyDeposited;
import dev.kappa.projections.TestEvents.MoneyWithdrawn;
import dev.kappa.projections.TestEvents.Poison;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.poison;
import static dev.kappa.projections.TestEvents.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link Upserts}: rows staged by handlers, merged in memory by their columns' rules, and written once per batch in
 * the batch's transaction. Whatever the batch size, the table ends the same.
 */
class UpsertsIntegrationTest extends ProjectionIntegrationTest {

    UpsertsIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {1, 3, 1_000})
    void mergeRulesHoldWithinABatchAndAgainstTheStoredRow(int batchSize) throws Exception {
        long[] amounts = {5, 40, 2, 17, 17, 3};
        for (long amount : amounts) {
            append("acc-1", deposited(amount));
        }
        append("acc-2", deposited(9));

        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(batchSize).liveBatchSize(batchSize),
                new Stats(dataSource));
        runtime.start();
        long head = awaitHead(runtime, "stats");

        Map<String, Object> row = sql.rows("SELECT * FROM stats WHERE account_id = 'acc-1'").get(0);
        assertThat(row.get("total")).isEqualTo(84L);
        assertThat(row.get("high")).isEqualTo(40L);
        assertThat(row.get("low")).isEqualTo(2L);
        assertThat(row.get("last_amount")).isEqualTo("3");
        assertThat(row.get("last_offset")).isEqualTo(6L);
        assertThat((BigDecimal) row.get("ratio")).isEqualByComparingTo("8.4");
        assertThat(row.get("flag")).isEqualTo(true);
        assertThat(row.get("last_event")).isEqualTo(store.readLog(5, 1).get(0).metadata().eventId());
        assertThat(((Timestamp) row.get("last_seen")).toInstant())
                .isEqualTo(store.readLog(5, 1).get(0).metadata().recordedAt());
        assertThat(sql.queryLong("SELECT total FROM stats WHERE account_id = 'acc-2'")).isEqualTo(9);
        assertThat(head).isEqualTo(7);
    }

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {1, 1_000})
    void aDeletedRowIsGoneAndRowsStagedAfterTheDeleteStartAfresh(int batchSize) throws Exception {
        append("acc-1", deposited(5), deposited(7), withdrawn(0), deposited(3));
        append("acc-2", deposited(11), withdrawn(0));

        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(batchSize).liveBatchSize(batchSize),
                new Stats(dataSource));
        runtime.start();
        awaitHead(runtime, "stats");

        assertThat(sql.map("SELECT account_id, total FROM stats")).containsExactlyEntriesOf(Map.of("acc-1", 3L));
        assertThat(sql.queryLong("SELECT low FROM stats WHERE account_id = 'acc-1'")).isEqualTo(3);
    }

    @Test
    void aCompositeKeyKeepsOneRowPerKeyPair() throws Exception {
        append("acc-1", deposited(5), withdrawn(2), deposited(7));
        append("acc-2", withdrawn(1));

        ProjectionRuntime runtime = started(new ByKind(dataSource));
        awaitHead(runtime, "by-kind");

        assertThat(sql.rows("SELECT account_id, kind, events, amount FROM by_kind ORDER BY account_id, kind"))
                .containsExactly(
                        Map.of("account_id", "acc-1", "kind", "MoneyDeposited", "events", 2L, "amount", 12L),
                        Map.of("account_id", "acc-1", "kind", "MoneyWithdrawn", "events", 1L, "amount", 2L),
                        Map.of("account_id", "acc-2", "kind", "MoneyWithdrawn", "events", 1L, "amount", 1L));
    }

    @Test
    void rowsStagedByABatchThatRollsBackAreNeverWritten() throws Exception {
        // given a batch in which rows are staged before a handler fails twice
        for (int i = 1; i <= 10; i++) {
            append("acc-" + i % 3, deposited(i));
        }
        append("pill", poison("flaky"));
        Stats stats = new Stats(dataSource);
        stats.poisonFailures.set(2);

        ProjectionRuntime runtime = started(stats);

        // then what the failed attempts staged is gone, and each event counts once
        awaitHead(runtime, "stats");
        assertThat(sql.queryLong("SELECT sum(total) FROM stats")).isEqualTo(55);
        assertThat(sql.map("SELECT account_id, total FROM stats"))
                .isEqualTo(Map.of("acc-0", 18L, "acc-1", 22L, "acc-2", 15L));
    }

    @Test
    void stagingOutsideAWorkerFailsWithAClearMessage() {
        Upserts upserts = Upserts.into("stats").key("account_id").add("total");

        assertThatThrownBy(() -> upserts.row("acc-1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Upserts into 'stats' can stage rows only inside an @EventHandler called by a projection"
                        + " worker");
    }

    @Test
    void stagingInAnInMemoryProjectionStopsItWithAClearError() throws Exception {
        append("acc-1", deposited(1));

        ProjectionRuntime runtime = started(new InMemoryUpserts());

        await().atMost(PATIENCE).until(() -> runtime.status("memory-upserts").state() == ProjectionState.FAILED);
        ProjectionFailure failure = runtime.status("memory-upserts").segments().get(0).failure().orElseThrow();
        assertThat(failure.offset()).isEqualTo(1);
        assertThat(failure.message()).isEqualTo("projection 'memory-upserts' is in memory: it has no database"
                + " transaction to write Upserts into 'stats' in");
    }

    @Test
    void aColumnTheTableLacksStopsTheProjectionSayingWhich() throws Exception {
        jdbc.execute("CREATE TABLE stats (account_id text PRIMARY KEY, total bigint)");
        append("acc-1", deposited(1));

        ProjectionRuntime runtime = started(new Stats(dataSource));

        await().atMost(PATIENCE).until(() -> runtime.status("stats").state() == ProjectionState.FAILED);
        assertThat(runtime.status("stats").segments().get(0).failure().orElseThrow().message())
                .contains("table 'stats' has no column 'high'");
    }

    /** Every merge rule and several column types, keyed by account. */
    @Projection("stats")
    static final class Stats {
        private final Upserts stats = Upserts.into("stats").key("account_id")
                .add("total").max("high", "last_offset", "last_seen").min("low")
                .set("last_amount", "ratio", "flag", "last_event");
        private final JdbcTemplate jdbc;
        final AtomicInteger poisonFailures = new AtomicInteger();

        Stats(DataSource dataSource) {
            this.jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("""
                    CREATE TABLE IF NOT EXISTS stats (account_id text PRIMARY KEY, total bigint NOT NULL,
                        high bigint, low bigint, last_amount text, last_offset bigint, last_seen timestamptz,
                        ratio numeric(10, 2), flag boolean, last_event uuid)""");
        }

        @EventHandler
        void on(MoneyDeposited event, EventContext context) {
            Upserts.Row row = stats.row(context.streamId()).put("total", event.amount()).put("high", event.amount())
                    .put("low", (int) event.amount()).put("last_amount", Long.toString(event.amount()))
                    .put("last_offset", context.offset()).put("flag", true).put("last_event", context.eventId())
                    .put("last_seen", context.recordedAt());
            // a decimal that only the last event of acc-1 sets: 84 / 10
            if (context.offset() == 6) {
                row.put("ratio", new BigDecimal("8.4"));
            }
        }

        @EventHandler
        void on(MoneyWithdrawn event, EventContext context) {
            if (event.amount() == 0) {
                stats.delete(context.streamId());
            } else {
                stats.row(context.streamId()).put("total", -event.amount());
            }
        }

        @EventHandler
        void on(Poison event) {
            if (poisonFailures.getAndDecrement() > 0) {
                throw new IllegalStateException("flaky");
            }
        }
    }

    /** A composite key: one row per account and event type. */
    @Projection("by-kind")
    static final class ByKind {
        private final Upserts byKind = Upserts.into("by_kind").key("account_id", "kind").add("events", "amount");

        ByKind(DataSource dataSource) {
            new JdbcTemplate(dataSource).execute("CREATE TABLE by_kind (account_id text, kind text, events bigint,"
                    + " amount bigint, PRIMARY KEY (account_id, kind))");
        }

        @EventHandler
        void on(MoneyDeposited event, EventContext context) {
            count(context, event.amount());
        }

        @EventHandler
        void on(MoneyWithdrawn event, EventContext context) {
            count(context, event.amount());
        }

        private void count(EventContext context, long amount) {
            byKind.row(context.streamId(), context.eventType()).put("events", 1).put("amount", amount);
        }
    }

    /** Tries to stage rows although it has no transaction. */
    @Projection(value = "memory-upserts", inMemory = true)
    static final class InMemoryUpserts {
        private final Upserts stats = Upserts.into("stats").key("account_id").add("total");

        @EventHandler
        void on(MoneyDeposited event, EventContext context) {
            stats.row(context.streamId()).put("total", event.amount());
        }
    }

}
