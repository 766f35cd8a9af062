package dev.kappa.bank;

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

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kappa.bank.BankClient.Answer;
import dev.kappa.eventstore.EventStore;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Transfers while the database keeps killing the application's connections at random — the log's writer, its
 * listener, projection workers, the transfer process, pooled connections of requests. Clients retry failed requests
 * with the same Idempotency-Key, as they should. Afterwards no money is lost or made, and no step of any transfer
 * happened twice.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TransferCrashTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final int ACCOUNTS = 6;
    private static final int TRANSFERS = 60;
    private static final int MIN_KILLED = 10;
    private static final long KILL_EVERY_MILLIS = 50;

    @LocalServerPort
    int port;
    @Autowired
    EventStore store;
    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        // killed connections must be replaced quickly, and requests must not wait long for one
        registry.add("spring.datasource.hikari.connection-timeout", () -> "5000");
    }

    @Test
    void connectionsKilledAtRandomNeitherLoseNorDoubleMoney() throws Exception {
        BankClient bank = new BankClient(port);
        for (int i = 0; i < ACCOUNTS; i++) {
            assertThat(bank.post("/accounts", Map.of("accountId", "c-" + i, "owner", "Owner " + i, "currency",
                    "EUR")).status()).isEqualTo(201);
            bank.post("/accounts/c-" + i + "/deposits", Map.of("amount", 1_000, "currency", "EUR"));
        }

        AtomicBoolean chaos = new AtomicBoolean(true);
        AtomicInteger killed = new AtomicInteger();
        Thread killer = new Thread(() -> killConnections(chaos, killed), "connection-killer");
        killer.start();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<String>> transfers = new ArrayList<>();
        try {
            for (int t = 0; t < TRANSFERS; t++) {
                String key = "crash-transfer-" + t;
                transfers.add(clients.submit(() -> requestTransfer(bank, key)));
            }
            for (Future<String> transfer : transfers) {
                transfer.get(3, TimeUnit.MINUTES);
            }
            // on a fast machine the requests may be over before much was killed: the transfer process still runs
            await().atMost(Duration.ofMinutes(1)).until(() -> killed.get() >= MIN_KILLED);
        } finally {
            chaos.set(false);
            killer.join();
            clients.shutdown();
        }

        List<String> ids = new ArrayList<>();
        for (Future<String> transfer : transfers) {
            ids.add(transfer.get());
        }
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> ids.stream()
                .allMatch(id -> {
                    Answer status = bank.get("/transfers/" + id);
                    return status.status() == 200 && List.of("COMPLETED", "FAILED")
                            .contains(status.body().get("status").asString());
                }));

        long head = store.head();
        await().atMost(Duration.ofMinutes(1)).until(() -> bank.get("/accounts/c-0?offset=" + head).status() == 200);
        long total = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            long balance = bank.get("/accounts/c-" + i + "?offset=" + head).body().get("balance").asLong();
            assertThat(balance).as("balance of c-%d", i).isNotNegative();
            total += balance;
        }
        assertThat(total).as("money in all accounts").isEqualTo(ACCOUNTS * 1_000L);
        assertThat(jdbc.queryForList("""
                SELECT event_type, payload->>'transferId' FROM kappa_log
                 WHERE event_type IN ('TransferRequested', 'MoneyDebitedForTransfer', 'MoneyCreditedByTransfer',
                                      'TransferCompleted', 'TransferFailed')
                 GROUP BY 1, 2 HAVING count(*) > 1""")).as("steps that happened twice").isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kappa_log WHERE event_type = 'TransferRequested'"
                + " AND stream_id LIKE 'transfer-%'", Long.class)).isEqualTo(TRANSFERS);
    }

    /** Sends one transfer request until it is accepted, retrying with the same key as a client must. */
    private static String requestTransfer(BankClient bank, String key) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(ACCOUNTS);
        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        Map<String, Object> body = Map.of("from", "c-" + from, "to", "c-" + to, "amount", 1 + random.nextInt(300),
                "currency", "EUR");
        for (int attempt = 1; attempt <= 50; attempt++) {
            try {
                Answer answer = bank.post("/transfers", body, key);
                if (answer.status() == 202) {
                    return answer.body().get("transferId").asString();
                }
            } catch (IllegalStateException connectionFailed) {
                // the request itself failed: retried below, with the same key
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the transfer " + key + " was never accepted");
    }

    private void killConnections(AtomicBoolean chaos, AtomicInteger killed) {
        JdbcTemplate killer = new JdbcTemplate(DATABASE.server().dataSource(DATABASE.name()));
        while (chaos.get()) {
            Integer terminated = killer.queryForObject("""
                    SELECT count(*) FROM (
                      SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                       WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                       ORDER BY random() LIMIT 1) killed""", Integer.class);
            killed.addAndGet(terminated == null ? 0 : terminated);
            try {
                Thread.sleep(KILL_EVERY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
