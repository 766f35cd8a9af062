package dev.kappa.eventstore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kappa.postgres.embedded.EmbeddedPostgresServer;
import dev.kappa.postgres.embedded.junit.RestartableDatabase;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away under a running store and comes back: every operation in between fails with an
 * {@link EventStoreException}, a subscription says it waits for the database and resumes by itself, however long the
 * outage lasts, delivering everything appended afterwards exactly once.
 */
class DatabaseOutageIntegrationTest {

    /** The pool gives up on a connection after this long: the outage below lasts several times as long. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(500);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path directory;
    private RestartableDatabase database;
    private DataSource pool;
    private EventStore store;
    private final CountDownLatch testEnded = new CountDownLatch(1);

    @BeforeEach
    void startDatabase() {
        database = RestartableDatabase.start(directory.resolve("pgdata"));
        pool = database.pool(CONNECTION_TIMEOUT);
        KappaSchema.migrate(pool);
        store = EventStore.builder(pool).codec(TestEvents.codec()).pollInterval(Duration.ofMillis(100)).build();
    }

    @AfterEach
    void stopDatabase() {
        testEnded.countDown();
        store.close();
        database.close();
    }

    @Test
    void aSubscriptionWaitsOutAnOutageLongerThanThePoolsTimeoutAndDeliversEverythingOnceAfterwards()
            throws Exception {
        store.append("before", ExpectedVersion.noStream(), List.of(deposit("b", 1), deposit("b", 2)));
        List<Long> received = Collections.synchronizedList(new ArrayList<>());
        Subscription subscription = store.subscribe(0, 10,
                batch -> batch.forEach(record -> received.add(record.offset())));
        assertThat(subscription.awaitPosition(2, PATIENCE)).isTrue();
        assertThat(subscription.outage()).isEmpty();

        database.stop();
        Instant stopped = Instant.now();

        await().atMost(PATIENCE).until(() -> subscription.outage().isPresent());
        StoreOutage outage = subscription.outage().orElseThrow();
        assertThat(outage.since()).isBetween(stopped.minusSeconds(1), Instant.now());
        assertThat(outage.error()).isNotBlank();
        // several of the pool's timeouts: long enough for any follower that gives up on the first to be gone
        await().atMost(PATIENCE).until(() -> Duration.between(stopped, Instant.now())
                .compareTo(CONNECTION_TIMEOUT.multipliedBy(6)) > 0);
        assertThat(subscription.isRunning()).isTrue();
        assertThat(subscription.failure()).isEmpty();
        assertThat(subscription.outage()).isPresent();

        database.restart();
        AppendResult after = await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> store.append("after", ExpectedVersion.noStream(), List.of(deposit("a", 1),
                        deposit("a", 2), deposit("a", 3))), result -> true);

        assertThat(after.toOffset()).isEqualTo(5);
        assertThat(subscription.awaitPosition(5, PATIENCE)).isTrue();
        assertThat(received).containsExactlyElementsOf(LongStream.rangeClosed(1, 5).boxed().toList());
        assertThat(subscription.outage()).isEmpty();
        assertThat(subscription.isRunning()).isTrue();
        subscription.close();
    }

    @Test
    void closingTheStoreWaitsAFewSecondsAtMostWhateverTheDatabaseAndTheHandlersDo() throws Exception {
        // an append that hangs in the database: its row waits for a lock this test holds
        try (Connection holder = pool.getConnection(); Statement statement = holder.createStatement()) {
            statement.execute("""
                    CREATE FUNCTION stall() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF NEW.stream_id = 'stuck' THEN PERFORM pg_advisory_xact_lock(4711); END IF;
                      RETURN NEW;
                    END $$;
                    CREATE TRIGGER stall AFTER INSERT ON kappa_log FOR EACH ROW EXECUTE FUNCTION stall();
                    SELECT pg_advisory_lock(4711)""");
            store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));
            CountDownLatch handling = new CountDownLatch(1);
            // and a subscription whose handler does not return before the test ends
            store.subscribe(0, 10, batch -> {
                handling.countDown();
                testEnded.await();
            });
            assertThat(handling.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            CompletableFuture<AppendResult> stuck = store.appendAsync(
                    AppendRequest.to("stuck", ExpectedVersion.noStream(),
                    List.of(deposit("stuck", 1)))).thenApply(Appended::result);
            await().atMost(PATIENCE).until(() -> waitingForTheLock(statement));

            long started = System.nanoTime();
            store.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isLessThan(Duration.ofSeconds(15));
            assertThat(stuck).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
                    .havingCause().isInstanceOf(AppendOutcomeUnknownException.class)
                    .withMessageContaining("stream 'stuck'");
        }
    }

    private static boolean waitingForTheLock(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND NOT granted")) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    @Test
    void aSmallAppendAfterTheServerEndedTheIdleWritersConnectionFailsAsUnavailableWithNothingWritten() {
        // the writer knows 's' now: the next small append to it is one statement that commits by itself
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));
        Instant lastAppend = Instant.now();

        database.stop();
        awaitTheServerGoneAndTheWriterIdle(lastAppend);

        assertThatThrownBy(() -> store.append("s", ExpectedVersion.exactly(1), List.of(deposit("s", 2))))
                .isInstanceOf(EventStoreException.class)
                .isNotInstanceOf(AppendOutcomeUnknownException.class)
                .hasMessageContaining("stream 's'")
                .hasMessageContaining("the database is unavailable")
                .hasMessageContaining("nothing was written");

        assertOnlyTheFirstAppendIsInTheLogAfterARestart();
    }

    @Test
    void aKeyedAppendAfterTheServerEndedTheIdleWritersConnectionFailsAsUnavailableWithNothingWritten() {
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));
        Instant lastAppend = Instant.now();

        database.stop();
        awaitTheServerGoneAndTheWriterIdle(lastAppend);

        // an idempotency key takes the full path: the head's lock, the key's look-up, then the write
        assertThatThrownBy(() -> store.append(AppendRequest.to("s", ExpectedVersion.exactly(1),
                List.of(deposit("s", 2))).withIdempotencyKey("key-1")))
                .isInstanceOf(EventStoreException.class)
                .isNotInstanceOf(AppendOutcomeUnknownException.class)
                .hasMessageContaining("the database is unavailable")
                .hasMessageContaining("nothing was written");

        assertOnlyTheFirstAppendIsInTheLogAfterARestart();
        assertThat(store.findAppend("key-1")).isEmpty();
    }

    @Test
    void anAppendAfterTheServerEndedTheIdleWritersSessionIsWrittenOnceOnANewConnection() throws Exception {
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));
        Instant lastAppend = Instant.now();
        // every other session ends, the writer's and those idle in the pool alike, as an administrator may end them
        try (Connection admin = DriverManager.getConnection(database.jdbcUrl(), EmbeddedPostgresServer.SUPERUSER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }
        await().atMost(PATIENCE).until(() -> Duration.between(lastAppend, Instant.now())
                .compareTo(Duration.ofSeconds(2)) > 0);

        AppendResult next = store.append("s", ExpectedVersion.exactly(1), List.of(deposit("s", 2)));

        assertThat(next).isEqualTo(new AppendResult("s", 2, 2, 2));
        assertThat(store.readLog(0, 10)).extracting(LogRecord::offset).containsExactly(1L, 2L);
    }

    /** Until the server refuses connections and the writer has had nothing to do for longer than a second. */
    private void awaitTheServerGoneAndTheWriterIdle(Instant lastAppend) {
        await().atMost(PATIENCE).until(() -> !serverAnswers());
        await().atMost(PATIENCE).until(() -> Duration.between(lastAppend, Instant.now())
                .compareTo(Duration.ofSeconds(2)) > 0);
    }

    private boolean serverAnswers() {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(),
                EmbeddedPostgresServer.SUPERUSER, "")) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private void assertOnlyTheFirstAppendIsInTheLogAfterARestart() {
        database.restart();
        long head = await().atMost(PATIENCE).ignoreExceptions().until(store::head, h -> true);
        assertThat(head).isEqualTo(1);
        assertThat(store.readLog(0, 10)).extracting(LogRecord::offset).containsExactly(1L);
        assertThat(store.streamVersion("s")).isEqualTo(1);
    }

    @Test
    void everyStoreOperationFailsWithAnEventStoreExceptionWhileTheDatabaseIsAway() {
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));

        database.stop();

        assertThatThrownBy(store::head).isInstanceOf(EventStoreException.class)
                .hasMessageContaining("the log's head");
        assertThatThrownBy(() -> store.readStream("s", 1)).isInstanceOf(EventStoreException.class)
                .hasMessageContaining("stream 's'");
        assertThatThrownBy(() -> store.readLog(0, 10)).isInstanceOf(EventStoreException.class)
                .hasMessageContaining("the log");
        assertThatThrownBy(() -> store.streamVersion("s")).isInstanceOf(EventStoreException.class);
        assertThatThrownBy(() -> store.findAppend("key")).isInstanceOf(EventStoreException.class);
        assertThatThrownBy(() -> store.snapshots().load("s", String.class)).isInstanceOf(EventStoreException.class);
        assertThatThrownBy(() -> store.compactor().compact()).isInstanceOf(EventStoreException.class);
        // the writer's own connection died with the server, which it finds before it writes; no other can be had
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.exactly(1), List.of(deposit("s", 2))))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("the database is unavailable")
                .hasMessageContaining("nothing was written");
        assertThatThrownBy(() -> store.appendExclusively(ExclusiveAppend.to("s", version -> List.of(deposit("s", 2)))))
                .isInstanceOf(EventStoreException.class);
        assertThatThrownBy(() -> store.awaitAppend(1, Duration.ofMillis(100))).isInstanceOf(EventStoreException.class);

        database.restart();

        AppendResult next = await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> store.append("s", ExpectedVersion.exactly(1), List.of(deposit("s", 2))), r -> true);
        assertThat(next.toOffset()).isEqualTo(2);
        assertThat(store.head()).isEqualTo(2);
        assertThat(store.readStream("s", 1)).extracting(LogRecord::offset).containsExactly(1L, 2L);
    }
}
