package dev.kappa.eventstore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class IdempotentAppendIntegrationTest extends LogIntegrationTest {

    IdempotentAppendIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void aRepeatedKeyReturnsTheFirstResultsAndAppendsNothing() {
        AppendOnceResult first = store.appendOnce("key-1", List.of(
                StreamAppend.of("a", ExpectedVersion.noStream(), deposit("a", 1), deposit("a", 2)),
                StreamAppend.of("b", ExpectedVersion.noStream(), deposit("b", 1))));

        // the retry's expected versions no longer hold: the key answers it before any check
        AppendOnceResult retry = store.appendOnce("key-1", List.of(
                StreamAppend.of("a", ExpectedVersion.noStream(), deposit("a", 1), deposit("a", 2)),
                StreamAppend.of("b", ExpectedVersion.noStream(), deposit("b", 1))));

        assertThat(first).isEqualTo(new AppendOnceResult(List.of(new AppendResult("a", 1, 2, 2),
                new AppendResult("b", 3, 3, 1)), false));
        assertThat(retry).isEqualTo(new AppendOnceResult(first.results(), true));
        assertThat(store.head()).isEqualTo(3);
        assertThat(store.findAppend("key-1")).contains(first.results());
        assertThat(store.findAppend("never-used")).isEmpty();
    }

    @Test
    void aConflictRecordsNothingSoTheKeyCanBeRetried() {
        store.append("a", ExpectedVersion.noStream(), List.of(deposit("a", 1)));

        assertThatThrownBy(() -> store.appendOnce("key-2",
                List.of(StreamAppend.of("a", ExpectedVersion.noStream(), deposit("a", 2)))))
                .isInstanceOf(ConcurrencyException.class);
        assertThat(store.findAppend("key-2")).isEmpty();

        AppendOnceResult retried = store.appendOnce("key-2",
                List.of(StreamAppend.of("a", ExpectedVersion.exactly(1), deposit("a", 2))));

        assertThat(retried).isEqualTo(new AppendOnceResult(List.of(new AppendResult("a", 2, 2, 2)), false));
    }

    @Test
    void eightConcurrentAppendsWithOneKeyAppendOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CyclicBarrier start = new CyclicBarrier(8);
        List<Future<AppendOnceResult>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                return store.appendOnce("payment-77",
                        List.of(StreamAppend.of("account-77", ExpectedVersion.any(), deposit("77", 100))));
            }));
        }
        List<AppendOnceResult> outcomes = new ArrayList<>();
        for (Future<AppendOnceResult> result : results) {
            outcomes.add(result.get(30, TimeUnit.SECONDS));
        }
        threads.shutdown();

        assertThat(outcomes).filteredOn(r -> !r.alreadyAppended()).hasSize(1);
        assertThat(outcomes).extracting(AppendOnceResult::results).containsOnly(List.of(new AppendResult("account-77", 1, 1, 1)));
        assertThat(store.readStream("account-77", 1)).hasSize(1);
    }

    @Test
    void twoAppendsWithOneKeyInTheSameBatchAppendOnce() throws Exception {
        CompletableFuture<AppendOnceResult> first;
        CompletableFuture<AppendOnceResult> second;
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT head FROM kappa_log_head WHERE id = 1 FOR UPDATE");
            }
            CompletableFuture<AppendResult> stalled = store.appendAsync("stalled", ExpectedVersion.any(),
                    List.of(deposit("s", 1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> sql.queryLong("""
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                       AND wait_event_type = 'Lock' AND query LIKE 'SELECT head FROM kappa_log_head%'""") == 1);
            first = store.appendOnceAsync("same", List.of(StreamAppend.of("x", ExpectedVersion.any(), deposit("x", 1))));
            second = store.appendOnceAsync("same", List.of(StreamAppend.of("x", ExpectedVersion.any(), deposit("x", 1))));
            blocker.rollback();
            assertThat(stalled.get(30, TimeUnit.SECONDS).toOffset()).isEqualTo(1);
        }

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(
                new AppendOnceResult(List.of(new AppendResult("x", 2, 2, 1)), false));
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(
                new AppendOnceResult(List.of(new AppendResult("x", 2, 2, 1)), true));
        assertThat(store.readStream("x", 1)).hasSize(1);
    }

    @Test
    void aKeyUsedInARolledBackTransactionIsNotRecorded() {
        TransactionTemplate transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            AppendOnceResult inside = store.appendOnce("order-9",
                    List.of(StreamAppend.of("order-9", ExpectedVersion.noStream(), deposit("o", 1))));
            assertThat(inside.alreadyAppended()).isFalse();
            assertThat(store.findAppend("order-9")).contains(inside.results());
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");

        assertThat(store.findAppend("order-9")).isEmpty();
        assertThat(store.appendOnce("order-9",
                List.of(StreamAppend.of("order-9", ExpectedVersion.noStream(), deposit("o", 1)))).alreadyAppended())
                .isFalse();
    }

    @Test
    void invalidKeysAreRejectedBeforeAnythingIsWritten() throws SQLException {
        List<StreamAppend> append = List.of(StreamAppend.of("a", ExpectedVersion.any(), deposit("a", 1)));

        assertThatThrownBy(() -> store.appendOnce(" ", append)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idempotency key must not be blank");
        assertThatThrownBy(() -> store.appendOnce("k".repeat(201), append)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idempotency key must be at most 200 characters");
        assertThatThrownBy(() -> store.findAppend(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.head()).isZero();
    }
}
