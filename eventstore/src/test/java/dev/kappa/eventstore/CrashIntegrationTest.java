package dev.kappa.eventstore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kappa.postgres.embedded.junit.TestDatabase;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Appends whose database connection dies mid-transaction: nothing of them may become visible, and the log carries on
 * with dense offsets.
 */
class CrashIntegrationTest extends LogIntegrationTest {

    private static final int STALL_LOCK = 4242;

    CrashIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @BeforeAll
    static void installStall(DataSource dataSource) {
        // rows of the stream 'victim' wait, inside the appending transaction, for an advisory lock the test holds:
        // the append is then caught after its rows are inserted and before it commits
        new SqlQueries(dataSource).execute("""
                CREATE FUNCTION stall_victim() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.stream_id = 'victim' THEN PERFORM pg_advisory_xact_lock(%d); END IF;
                  RETURN NEW;
                END $$;
                CREATE TRIGGER stall_victim AFTER INSERT ON kappa_log FOR EACH ROW EXECUTE FUNCTION stall_victim();
                """.formatted(STALL_LOCK));
    }

    @BeforeEach
    void appendTwoEvents() {
        store.append("before", ExpectedVersion.noStream(), List.of(deposit("b", 1), deposit("b", 2)));
    }

    @Test
    void anAppendWhoseConnectionIsKilledTwiceWritesNothingAndTheLogStaysDense() throws Exception {
        CompletableFuture<AppendResult> victim;
        try (StallLock stall = new StallLock()) {
            victim = store.appendAsync(AppendRequest.to("victim", ExpectedVersion.noStream(),
                    List.of(deposit("v", 1), deposit("v", 2)))).thenApply(Appended::result);

            long firstBackend = awaitStalledWriter();
            assertNothingOfTheVictimIsVisible();
            kill(firstBackend);
            // the writer retries a transaction that died with its connection, once, on a new connection
            long secondBackend = awaitStalledWriter();
            assertThat(secondBackend).isNotEqualTo(firstBackend);
            kill(secondBackend);

            assertThat(victim).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                    .havingCause().isInstanceOf(EventStoreException.class)
                    .withMessageContaining("stream 'victim'")
                    .withMessageContaining("nothing was written, so it is safe to retry");
        }
        assertNothingOfTheVictimIsVisible();

        AppendResult next = store.append("after", ExpectedVersion.noStream(), List.of(deposit("a", 1)));

        assertThat(next.fromOffset()).isEqualTo(3);
        assertThat(sql.queryLongs("SELECT log_offset FROM kappa_log ORDER BY log_offset")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void anAppendWhoseConnectionIsKilledOnceIsRetriedAndWrittenExactlyOnce() throws Exception {
        CompletableFuture<AppendResult> victim;
        try (StallLock stall = new StallLock()) {
            victim = store.appendAsync(AppendRequest.to("victim", ExpectedVersion.noStream(),
                    List.of(deposit("v", 1), deposit("v", 2)))).thenApply(Appended::result);
            kill(awaitStalledWriter());
            awaitStalledWriter();
            assertNothingOfTheVictimIsVisible();
        } // releasing the stall lets the retry commit

        assertThat(victim.get(30, TimeUnit.SECONDS)).isEqualTo(new AppendResult("victim", 3, 4, 2));
        assertThat(store.readStream("victim", 1)).extracting(LogRecord::offset).containsExactly(3L, 4L);
        assertThat(sql.queryLongs("SELECT log_offset FROM kappa_log ORDER BY log_offset"))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 4).boxed().toList());
    }

    @Test
    void anAppendOnAStreamTheWriterKnowsIsRetriedOnceAndWrittenExactlyOnceWhenItsConnectionIsKilled()
            throws Exception {
        // the writer knows 'victim' now, so the next append to it is one statement that commits by itself
        store.append("victim", ExpectedVersion.noStream(), List.of(deposit("v", 0)));
        CompletableFuture<AppendResult> victim;
        try (StallLock stall = new StallLock()) {
            victim = store.appendAsync(AppendRequest.to("victim", ExpectedVersion.exactly(1),
                    List.of(deposit("v", 1), deposit("v", 2)))).thenApply(Appended::result);
            long selfCommitting = awaitStalledWriter();
            kill(selfCommitting);
            // the writer makes sure that session is gone, finds nothing of the batch in the log, and retries it
            long retry = awaitStalledWriter();
            assertThat(retry).isNotEqualTo(selfCommitting);
            assertThat(sql.queryLong("SELECT count(*) FROM kappa_log WHERE stream_id = 'victim'")).isEqualTo(1);
        } // releasing the stall lets the retry commit

        assertThat(victim.get(30, TimeUnit.SECONDS)).isEqualTo(new AppendResult("victim", 4, 5, 3));
        assertThat(store.readStream("victim", 1)).extracting(LogRecord::offset).containsExactly(3L, 4L, 5L);
        assertThat(sql.queryLongs("SELECT log_offset FROM kappa_log ORDER BY log_offset"))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 5).boxed().toList());
    }

    @Test
    void aSelfCommittingBatchWhoseReplyIsLostIsAnsweredAsAppendedAndWrittenOnce(TestDatabase database) {
        ReplyLosingDataSource losing = new ReplyLosingDataSource(database.server().dataSource(database.name()));
        EventStore known = closeAfterTest(EventStore.builder(losing).codec(TestEvents.codec()).build());
        // the writer knows 'account' now, so the next append to it is one statement that commits by itself
        known.append("account", ExpectedVersion.noStream(), List.of(deposit("a", 1)));
        losing.loseTheNextReplyTo("WITH advanced");

        AppendResult result = known.append("account", ExpectedVersion.exactly(1), List.of(deposit("a", 2)));

        // the writer ended the session, found the batch in the log and answered it: no retry, no second copy
        assertThat(losing.repliesLost()).isEqualTo(1);
        assertThat(result).isEqualTo(new AppendResult("account", 4, 4, 2));
        assertThat(store.readStream("account", 1)).extracting(LogRecord::offset).containsExactly(3L, 4L);
        assertThat(sql.queryLongs("SELECT log_offset FROM kappa_log ORDER BY log_offset"))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 4).boxed().toList());
        // and it goes on appending
        assertThat(known.append("account", ExpectedVersion.exactly(2), List.of(deposit("a", 3))).fromOffset())
                .isEqualTo(5);
    }

    @Test
    void anAppendInASpringTransactionWhoseConnectionIsKilledLeavesNothingBehind() throws Exception {
        TransactionTemplate transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            store.append("joined", ExpectedVersion.noStream(), List.of(deposit("j", 1), deposit("j", 2)));
            Connection own = DataSourceUtils.getConnection(dataSource);
            try (Statement statement = own.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                // the append holds the head: a separate connection kills this transaction's backend
                kill(rs.getLong(1));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } finally {
                DataSourceUtils.releaseConnection(own, dataSource);
            }
        })).isInstanceOf(RuntimeException.class);

        assertThat(store.streamVersion("joined")).isZero();
        assertThat(store.head()).isEqualTo(2);
        assertThat(store.append("after", ExpectedVersion.noStream(),
                List.of(deposit("a", 1))).fromOffset()).isEqualTo(3);
    }

    /** Holds the advisory lock the trigger waits for; a session lock, so it is released by hand before pooling. */
    private final class StallLock implements AutoCloseable {
        private final Connection connection;

        StallLock() throws SQLException {
            connection = dataSource.getConnection();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + STALL_LOCK + ")");
            }
        }

        @Override
        public void close() throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_unlock(" + STALL_LOCK + ")");
            } finally {
                connection.close();
            }
        }
    }

    /** Waits for the writer to be stuck in the trigger, mid-transaction, and returns its backend's pid. */
    private long awaitStalledWriter() {
        String stalled = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND wait_event = 'advisory'";
        await().atMost(Duration.ofSeconds(30)).until(() -> sql.queryLongs(stalled).size() == 1);
        return sql.queryLongs(stalled).get(0);
    }

    private void kill(long pid) {
        assertThat(sql.queryLong("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)).isEqualTo(1);
        sql.execute("SELECT pg_terminate_backend(" + pid + ")");
    }

    private void assertNothingOfTheVictimIsVisible() {
        assertThat(sql.queryLong("SELECT count(*) FROM kappa_log WHERE stream_id = 'victim'")).isZero();
        assertThat(sql.queryLong("SELECT count(*) FROM kappa_streams WHERE stream_id = 'victim'")).isZero();
        assertThat(sql.queryLong("SELECT head FROM kappa_log_head")).isEqualTo(2);
    }
}
