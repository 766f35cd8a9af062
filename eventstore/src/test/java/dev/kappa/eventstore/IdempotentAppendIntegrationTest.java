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
        Appended first = store.append(AppendRequest.of(List.of(
                StreamAppend.of("a", ExpectedVersion.noStream(), deposit("a", 1), deposit("a", 2)),
                StreamAppend.of("b", ExpectedVersion.noStream(), deposit("b", 1)))).withIdempotencyKey("key-1"));

        // the retry's expected versions no longer hold: the key answers it before any check
        Appended retry = store.append(AppendRequest.of(List.of(
                StreamAppend.of("a", ExpectedVersion.noStream(), deposit("a", 1), deposit("a", 2)),
                StreamAppend.of("b", ExpectedVersion.noStream(), deposit("b", 1)))).withIdempotencyKey("key-1"));

        assertThat(first).isEqualTo(new Appended(List.of(new AppendResult("a", 1, 2, 2),
                new AppendResult("b", 3, 3, 1)), false));
        assertThat(retry).isEqualTo(new Appended(first.results(), true));
        assertThat(store.head()).isEqualTo(3);
        assertThat(store.findAppend("key-1")).contains(first.results());
        assertThat(store.findAppend("never-used")).isEmpty();
    }

    @Test
    void aConflictRecordsNothingSoTheKeyCanBeRetried() {
        store.append("a", ExpectedVersion.noStream(), List.of(deposit("a", 1)));

        assertThatThrownBy(() -> store.append(AppendRequest.to("a", ExpectedVersion.noStream(),
                List.of(deposit("a", 2))).withIdempotencyKey("key-2")))
                .isInstanceOf(ConcurrencyException.class);
        assertThat(store.findAppend("key-2")).isEmpty();

        Appended retried = store.append(AppendRequest.to("a", ExpectedVersion.exactly(1), List.of(deposit("a", 2)))
                .withIdempotencyKey("key-2"));

        assertThat(retried).isEqualTo(new Appended(List.of(new AppendResult("a", 2, 2, 2)), false));
    }

    @Test
    void eightConcurrentAppendsWithOneKeyAppendOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CyclicBarrier start = new CyclicBarrier(8);
        List<Future<Appended>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                return store.append(AppendRequest.to("account-77", ExpectedVersion.any(), List.of(deposit("77", 100)))
                        .withIdempotencyKey("payment-77"));
            }));
        }
        List<Appended> outcomes = new ArrayList<>();
        for (Future<Appended> result : results) {
            outcomes.add(result.get(30, TimeUnit.SECONDS));
        }
        threads.shutdown();

        assertThat(outcomes).filteredOn(r -> !r.alreadyAppended()).hasSize(1);
        assertThat(outcomes).extracting(Appended::results)
                .containsOnly(List.of(new AppendResult("account-77", 1, 1, 1)));
        assertThat(store.readStream("account-77", 1)).hasSize(1);
    }

    @Test
    void twoAppendsWithOneKeyInTheSameBatchAppendOnce() throws Exception {
        CompletableFuture<Appended> first;
        CompletableFuture<Appended> second;
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT head FROM kappa_log_head WHERE id = 1 FOR UPDATE");
            }
            CompletableFuture<AppendResult> stalled = store.appendAsync(
                    AppendRequest.to("stalled", ExpectedVersion.any(),
                    List.of(deposit("s", 1)))).thenApply(Appended::result);
            await().atMost(Duration.ofSeconds(30)).until(() -> sql.queryLong("""
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                       AND wait_event_type = 'Lock' AND query LIKE 'SELECT head FROM kappa_log_head%'""") == 1);
            first = store.appendAsync(AppendRequest.to("x", ExpectedVersion.any(), List.of(deposit("x", 1)))
                    .withIdempotencyKey("same"));
            second = store.appendAsync(AppendRequest.to("x", ExpectedVersion.any(), List.of(deposit("x", 1)))
                    .withIdempotencyKey("same"));
            blocker.rollback();
            assertThat(stalled.get(30, TimeUnit.SECONDS).toOffset()).isEqualTo(1);
        }

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(
                new Appended(List.of(new AppendResult("x", 2, 2, 1)), false));
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(
                new Appended(List.of(new AppendResult("x", 2, 2, 1)), true));
        assertThat(store.readStream("x", 1)).hasSize(1);
    }

    @Test
    void aKeyUsedInARolledBackTransactionIsNotRecorded() {
        TransactionTemplate transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            Appended inside = store.append(AppendRequest.to("order-9", ExpectedVersion.noStream(),
                    List.of(deposit("o", 1))).withIdempotencyKey("order-9"));
            assertThat(inside.alreadyAppended()).isFalse();
            assertThat(store.findAppend("order-9")).contains(inside.results());
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");

        assertThat(store.findAppend("order-9")).isEmpty();
        assertThat(store.append(AppendRequest.to("order-9", ExpectedVersion.noStream(), List.of(deposit("o", 1)))
                .withIdempotencyKey("order-9")).alreadyAppended())
                .isFalse();
    }

    @Test
    void aKeyReusedWithAnotherRequestFingerprintIsRefusedAndAppendsNothing() {
        // given a key used for one request
        Appended first = store.append(AppendRequest.to("transfer-1", ExpectedVersion.noStream(),
                List.of(deposit("a", 100))).withIdempotencyKey("transfer-key", "request-A"));

        // when the key comes back with a different request
        assertThatThrownBy(() -> store.append(AppendRequest.to("transfer-2", ExpectedVersion.noStream(),
                List.of(deposit("b", 999))).withIdempotencyKey("transfer-key", "request-B")))
                // then it is refused, naming the key and saying what to do
                .isInstanceOf(IdempotencyKeyReusedException.class)
                .isNotInstanceOf(EventStoreException.class)
                .hasMessageContaining("'transfer-key'")
                .hasMessageContaining("use a new key for a new request")
                .extracting(e -> ((IdempotencyKeyReusedException) e).key()).isEqualTo("transfer-key");

        // and nothing of it was written, while the key still answers its own request
        assertThat(store.head()).isEqualTo(1);
        assertThat(store.streamVersion("transfer-2")).isZero();
        assertThat(store.append(AppendRequest.to("transfer-1", ExpectedVersion.noStream(), List.of(deposit("a", 100)))
                .withIdempotencyKey("transfer-key", "request-A")))
                .isEqualTo(new Appended(first.results(), true));
        assertThatThrownBy(() -> store.findAppend("transfer-key", "request-B"))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(store.findAppend("transfer-key", "request-A")).contains(first.results());
    }

    @Test
    void aKeyRepeatedWithTheSameFingerprintIsAnsweredWithTheFirstResults() {
        Appended first = store.appendAsync(AppendRequest.of(List.of(
                StreamAppend.of("a", ExpectedVersion.noStream(), deposit("a", 1)),
                StreamAppend.of("b", ExpectedVersion.noStream(), deposit("b", 1))))
                        .withIdempotencyKey("k", "digest-1")).join();

        Appended retry = store.appendAsync(AppendRequest.of(List.of(
                StreamAppend.of("a", ExpectedVersion.noStream(), deposit("a", 1)),
                StreamAppend.of("b", ExpectedVersion.noStream(), deposit("b", 1))))
                        .withIdempotencyKey("k", "digest-1")).join();

        assertThat(retry).isEqualTo(new Appended(first.results(), true));
        assertThat(store.head()).isEqualTo(2);
    }

    @Test
    void withoutAFingerprintOnEitherSideARepeatedKeyIsNotChecked() {
        List<StreamAppend> append = List.of(StreamAppend.of("a", ExpectedVersion.any(), deposit("a", 1)));
        Appended unchecked = store.append(AppendRequest.of(append).withIdempotencyKey("first-without"));
        Appended checked = store.append(AppendRequest.of(append).withIdempotencyKey("first-with", "digest-1"));

        assertThat(store.append(AppendRequest.of(append).withIdempotencyKey("first-without", "digest-2")))
                .isEqualTo(new Appended(unchecked.results(), true));
        assertThat(store.append(AppendRequest.of(append).withIdempotencyKey("first-with")))
                .isEqualTo(new Appended(checked.results(), true));
        assertThat(store.findAppend("first-with")).contains(checked.results());
        assertThat(store.head()).isEqualTo(2);
    }

    @Test
    void aKeyReusedWithinOneGroupCommittedBatchIsRefusedAloneAndTheRestOfTheBatchIsWritten() throws Exception {
        CompletableFuture<Appended> first;
        CompletableFuture<Appended> reused;
        CompletableFuture<Appended> repeated;
        CompletableFuture<Appended> other;
        try (Connection blocker = dataSource.getConnection()) {
            // given the writer stalled on the head lock, so that the next appends queue up into one batch
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT head FROM kappa_log_head WHERE id = 1 FOR UPDATE");
            }
            CompletableFuture<AppendResult> stalled = store.appendAsync(
                    AppendRequest.to("stalled", ExpectedVersion.any(),
                    List.of(deposit("s", 1)))).thenApply(Appended::result);
            await().atMost(Duration.ofSeconds(30)).until(() -> sql.queryLong("""
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                       AND wait_event_type = 'Lock' AND query LIKE 'SELECT head FROM kappa_log_head%'""") == 1);

            // when one key comes with a request, another request, the first again, beside an unrelated append
            first = store.appendAsync(AppendRequest.to("x", ExpectedVersion.any(), List.of(deposit("x", 1)))
                    .withIdempotencyKey("same", "request-A"));
            reused = store.appendAsync(AppendRequest.to("y", ExpectedVersion.any(), List.of(deposit("y", 1)))
                    .withIdempotencyKey("same", "request-B"));
            repeated = store.appendAsync(AppendRequest.to("x", ExpectedVersion.any(), List.of(deposit("x", 1)))
                    .withIdempotencyKey("same", "request-A"));
            other = store.appendAsync(AppendRequest.to("z", ExpectedVersion.any(), List.of(deposit("z", 1)))
                    .withIdempotencyKey("other", "request-C"));
            blocker.rollback();
            assertThat(stalled.get(30, TimeUnit.SECONDS).toOffset()).isEqualTo(1);
        }

        // then only the reuse fails; each of the others gets its own answer
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(
                new Appended(List.of(new AppendResult("x", 2, 2, 1)), false));
        assertThatThrownBy(() -> reused.get(30, TimeUnit.SECONDS))
                .cause().isInstanceOf(IdempotencyKeyReusedException.class).hasMessageContaining("'same'");
        assertThat(repeated.get(30, TimeUnit.SECONDS)).isEqualTo(
                new Appended(List.of(new AppendResult("x", 2, 2, 1)), true));
        assertThat(other.get(30, TimeUnit.SECONDS)).isEqualTo(
                new Appended(List.of(new AppendResult("z", 3, 3, 1)), false));
        assertThat(store.streamVersion("y")).isZero();
        assertThat(store.head()).isEqualTo(3);
    }

    @Test
    void aKeyReusedWithAnotherFingerprintInsideASpringTransactionIsRefused() {
        store.append(AppendRequest.to("order-1", ExpectedVersion.noStream(), List.of(deposit("o", 1)))
                .withIdempotencyKey("order-1", "request-A"));
        TransactionTemplate transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> store.append(AppendRequest.to("order-2",
                ExpectedVersion.noStream(), List.of(deposit("o", 2))).withIdempotencyKey("order-1", "request-B"))))
                .isInstanceOf(IdempotencyKeyReusedException.class);

        assertThat(store.head()).isEqualTo(1);
    }

    @Test
    void anInvalidRequestFingerprintIsRejectedBeforeAnythingIsWritten() {
        List<StreamAppend> append = List.of(StreamAppend.of("a", ExpectedVersion.any(), deposit("a", 1)));

        assertThatThrownBy(() -> store.append(AppendRequest.of(append).withIdempotencyKey("k", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("request fingerprint must not be blank");
        assertThatThrownBy(() -> store.append(AppendRequest.of(append).withIdempotencyKey("k", "f".repeat(201))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("request fingerprint must be at most 200 characters");
        assertThatThrownBy(() -> store.append(AppendRequest.of(append).withIdempotencyKey(null, "digest")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a request fingerprint needs an idempotency key");
        assertThat(store.head()).isZero();
    }

    @Test
    void invalidKeysAreRejectedBeforeAnythingIsWritten() throws SQLException {
        List<StreamAppend> append = List.of(StreamAppend.of("a", ExpectedVersion.any(), deposit("a", 1)));

        assertThatThrownBy(() -> store.append(AppendRequest.of(append).withIdempotencyKey(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idempotency key must not be blank");
        assertThatThrownBy(() -> store.append(AppendRequest.of(append).withIdempotencyKey("k".repeat(201))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idempotency key must be at most 200 characters");
        assertThatThrownBy(() -> store.findAppend(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.head()).isZero();
    }
}
