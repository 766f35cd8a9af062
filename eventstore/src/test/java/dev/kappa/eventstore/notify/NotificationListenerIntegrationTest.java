package dev.kappa.eventstore.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.postgres.embedded.junit.RestartableDatabase;
import dev.kappa.postgres.embedded.junit.TestDatabaseExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared LISTEN loop on a real PostgreSQL: notifications reach the handler, a terminated session or a stopped
 * server is waited out and reported, listening resumes by itself and says so, and closing is bounded whatever the
 * database does.
 */
@ExtendWith(TestDatabaseExtension.class)
class NotificationListenerIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final List<String> heard = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger connectionChanges = new AtomicInteger();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @TempDir
    Path directory;

    NotificationListenerIntegrationTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void deliversEveryNotificationOnItsChannelsWithItsPayloadAndNoneOnOthers() {
        NotificationListener listener = started(dataSource, "orders", "invoices");
        await().atMost(PATIENCE).until(listener::isListening);

        notify(jdbc, "orders", "o-1");
        notify(jdbc, "elsewhere", "not for us");
        notify(jdbc, "invoices", "i-1");
        jdbc.execute("NOTIFY orders");

        await().atMost(PATIENCE).until(() -> heard.size() == 3);
        assertThat(heard).containsExactly("orders:o-1", "invoices:i-1", "orders:");
        assertThat(connectionChanges).hasValue(1);
        assertThat(listener.outage()).isEmpty();
    }

    @Test
    void aHandlerThatThrowsCostsNeitherTheConnectionNorTheNextNotification() {
        NotificationListener listener = NotificationListener.builder(dataSource)
                .channel("fragile")
                .onNotification((channel, payload) -> {
                    if (payload.equals("boom")) {
                        throw new IllegalStateException("the handler's own bug");
                    }
                    heard.add(payload);
                })
                .onConnectionChange(connectionChanges::incrementAndGet)
                .build();
        opened.add(listener);
        listener.start();
        await().atMost(PATIENCE).until(listener::isListening);

        notify(jdbc, "fragile", "boom");
        notify(jdbc, "fragile", "after");

        await().atMost(PATIENCE).until(() -> heard.contains("after"));
        assertThat(listener.isListening()).isTrue();
        assertThat(connectionChanges).hasValue(1);
    }

    @Test
    void reconnectsByItselfAfterItsSessionIsTerminatedAndSignalsTheReconnect() {
        NotificationListener listener = started(dataSource, "reconnecting");
        await().atMost(PATIENCE).until(() -> listenerPids().size() == 1);
        long killed = listenerPids().get(0);
        assertThat(connectionChanges).hasValue(1);

        jdbc.queryForList("SELECT pg_terminate_backend(?::int)", killed);

        // lost, then listening again: the callback ran for both, so waiters could look for what was missed
        await().atMost(PATIENCE).until(() -> connectionChanges.get() == 3 && listener.isListening());
        assertThat(listenerPids()).hasSize(1).doesNotContain(killed);
        assertThat(listener.outage()).isEmpty();
        notify(jdbc, "reconnecting", "after the kill");
        await().atMost(PATIENCE).until(() -> heard.contains("reconnecting:after the kill"));
    }

    @Test
    void reportsAnOutageWhileTheDatabaseIsAwayAndListensAgainWhenItIsBack() {
        RestartableDatabase database = restartable();
        DataSource pool = database.pool(Duration.ofMillis(500));
        NotificationListener listener = started(pool, "outage");
        await().atMost(PATIENCE).until(listener::isListening);

        database.stop();

        await().atMost(PATIENCE).until(() -> listener.outage().isPresent());
        assertThat(listener.isListening()).isFalse();
        assertThat(listener.outage().orElseThrow().error()).isNotBlank();
        assertThat(connectionChanges).hasValue(2);

        database.restart();

        await().atMost(PATIENCE).until(listener::isListening);
        assertThat(listener.outage()).isEmpty();
        assertThat(connectionChanges).hasValue(3);
        notify(new JdbcTemplate(pool), "outage", "back");
        await().atMost(PATIENCE).until(() -> heard.contains("outage:back"));
    }

    @Test
    void closesWithinItsBoundWhileWaitingForAConnectionTheDatabaseCannotGive() {
        RestartableDatabase database = restartable();
        // the pool would keep the listener waiting for a connection far longer than the close allows
        DataSource pool = database.pool(Duration.ofSeconds(60));
        NotificationListener listener = started(pool, "stuck");
        await().atMost(PATIENCE).until(listener::isListening);
        database.stop();
        await().atMost(PATIENCE).until(() -> waitsForAConnection("kappa-test-listener"));

        long start = System.nanoTime();
        boolean ended = listener.close(Duration.ofSeconds(10));

        assertThat(ended).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(listener.isListening()).isFalse();
    }

    private NotificationListener started(DataSource source, String... channels) {
        NotificationListener.Builder builder = NotificationListener.builder(source)
                .name("kappa-test-listener")
                .onNotification((channel, payload) -> heard.add(channel + ":" + payload))
                .onConnectionChange(connectionChanges::incrementAndGet);
        Arrays.stream(channels).forEach(builder::channel);
        NotificationListener listener = builder.build();
        opened.add(listener);
        listener.start();
        return listener;
    }

    private RestartableDatabase restartable() {
        RestartableDatabase database = RestartableDatabase.start(directory.resolve("pgdata"));
        opened.add(database);
        return database;
    }

    private static void notify(JdbcTemplate jdbc, String channel, String payload) {
        jdbc.queryForList("SELECT pg_notify(?, ?)", channel, payload);
    }

    private List<Long> listenerPids() {
        return jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                + " AND query = 'LISTEN reconnecting'", Long.class);
    }

    private static boolean waitsForAConnection(String threadName) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().equals(threadName))
                .flatMap(thread -> Arrays.stream(thread.getValue()))
                .anyMatch(frame -> frame.getMethodName().equals("getConnection"));
    }
}
