package dev.kappa.eventstore;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Appends inside a Spring-managed transaction join it: the application's rows and the events commit together. */
class SpringTransactionIntegrationTest extends LogIntegrationTest {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    SpringTransactionIntegrationTest(DataSource dataSource) {
        super(dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    }

    @BeforeAll
    static void createApplicationTable(DataSource dataSource) {
        new SqlQueries(dataSource).execute("CREATE TABLE orders (id text PRIMARY KEY)");
    }

    @BeforeEach
    void emptyApplicationTable() {
        sql.execute("TRUNCATE orders");
    }

    @Test
    void applicationRowsAndEventsCommitTogether() {
        AppendResult result = transaction.execute(status -> {
            jdbc.update("INSERT INTO orders (id) VALUES ('o-1')");
            AppendResult appended = store.append("order-o-1", ExpectedVersion.noStream(), List.of(deposit("o", 1)));
            // the transaction's own reads see its uncommitted events
            assertThat(store.readStream("order-o-1", 1)).hasSize(1);
            assertThat(store.streamVersion("order-o-1")).isEqualTo(1);
            return appended;
        });

        assertThat(result).isEqualTo(new AppendResult("order-o-1", 1, 1, 1));
        assertThat(sql.queryLong("SELECT count(*) FROM orders")).isEqualTo(1);
        assertThat(store.readStream("order-o-1", 1)).hasSize(1);
    }

    @Test
    void aRolledBackTransactionTakesItsEventsWithItAndLeavesNoHole() {
        store.append("first", ExpectedVersion.noStream(), List.of(deposit("f", 1)));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO orders (id) VALUES ('o-2')");
            store.append("order-o-2", ExpectedVersion.noStream(), List.of(deposit("o", 1), deposit("o", 2)));
            throw new IllegalStateException("payment declined");
        })).hasMessage("payment declined");

        assertThat(sql.queryLong("SELECT count(*) FROM orders")).isZero();
        assertThat(store.streamVersion("order-o-2")).isZero();
        assertThat(store.head()).isEqualTo(1);
        assertThat(store.append("next", ExpectedVersion.noStream(),
                List.of(deposit("n", 1))).fromOffset()).isEqualTo(2);
    }

    @Test
    void aConflictInsideTheTransactionIsThrownToTheCaller() {
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status ->
                store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 2)))))
                .isInstanceOfSatisfying(ConcurrencyException.class, e -> assertThat(e.actualVersion()).isEqualTo(1));
        assertThat(store.streamVersion("s")).isEqualTo(1);
    }

    @Test
    void appendingInAReadOnlyTransactionIsRefusedWithAClearMessage() {
        TransactionTemplate readOnly = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        readOnly.setReadOnly(true);

        assertThatThrownBy(() -> readOnly.executeWithoutResult(status ->
                store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("read-only transaction");
        assertThat(store.head()).isZero();
    }

    @Test
    void anAppendOutsideTheTransactionWaitsForItAndTakesTheNextOffset() throws Exception {
        CountDownLatch appendedInside = new CountDownLatch(1);
        CountDownLatch outsideQueued = new CountDownLatch(1);
        CompletableFuture<AppendResult> inside = CompletableFuture.supplyAsync(() -> transaction.execute(status -> {
            AppendResult result = store.append("inside", ExpectedVersion.noStream(), List.of(deposit("i", 1)));
            appendedInside.countDown();
            await(outsideQueued);
            return result;
        }));
        assertThat(appendedInside.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<AppendResult> outside = store.appendAsync(

                AppendRequest.to("outside", ExpectedVersion.noStream(),
                List.of(deposit("o", 1)))).thenApply(Appended::result);
        // the open transaction holds the head: the outside append cannot commit before it
        assertThatThrownBy(() -> outside.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        outsideQueued.countDown();

        assertThat(inside.get(30, TimeUnit.SECONDS).toOffset()).isEqualTo(1);
        assertThat(outside.get(30, TimeUnit.SECONDS)).isEqualTo(new AppendResult("outside", 2, 2, 1));
        assertThat(store.awaitAppend(1, Duration.ofSeconds(5))).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
