package dev.kappa.bank;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kappa.bank.BankClient.Answer;
import dev.kappa.boot.autoconfigure.store.ConnectionPoolDefaults;
import dev.kappa.postgres.embedded.junit.RestartableDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bank's PostgreSQL stops under it and starts again: meanwhile reads of the database and writes answer 503
 * problems with {@code Retry-After} within seconds, and health is DOWN within seconds; afterwards writes, reads and
 * projections work again without a restart of the application. The pool's connection timeout is the starter's
 * default, not set here.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.user.name=operator",
        "spring.security.user.password=" + BankClient.OPERATOR_PASSWORD,
        "spring.security.user.roles=OPERATOR"})
class DatabaseOutageTest {

    /** Left for the JVM to stop: the application context may still use it when this class is done. */
    private static final RestartableDatabase DATABASE = RestartableDatabase.start(
            Path.of("target", "outage-test-" + ProcessHandle.current().pid(), "pgdata"));
    /** What "within seconds" means here, generously on a loaded machine: the pool's timeout is 3 s, HikariCP's 30 s. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @Test
    void requestsAnswer503PromptlyDuringAnOutageAndEverythingWorksAgainAfterIt() {
        BankClient bank = new BankClient(port);
        assertThat(bank.post("/accounts", Map.of("accountId", "ann", "owner", "Ann", "currency", "EUR")).status())
                .isEqualTo(201);
        long deposited = bank.post("/accounts/ann/deposits", Map.of("amount", 100, "currency", "EUR")).offset();
        assertThat(bank.get("/accounts?offset=" + deposited).status()).isEqualTo(200);
        assertThat(((HikariDataSource) dataSource).getConnectionTimeout())
                .isEqualTo(ConnectionPoolDefaults.CONNECTION_TIMEOUT_MILLIS);

        DATABASE.stop();

        Answer write = timed(() -> bank.post("/accounts/ann/deposits", Map.of("amount", 1, "currency", "EUR")));
        assertUnavailable(write);
        Answer secondWrite = timed(() -> bank.post("/accounts/ann/deposits", Map.of("amount", 1, "currency", "EUR")));
        assertUnavailable(secondWrite);
        assertThat(secondWrite.body().get("type").asString()).endsWith("/store-unavailable");
        assertUnavailable(timed(() -> bank.get("/accounts")));
        assertUnavailable(timed(() -> bank.get("/accounts/ann/transactions")));
        Answer health = timed(() -> bank.get("/actuator/health"));
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.body().get("status").asString()).isEqualTo("DOWN");
        await().atMost(PATIENCE).untilAsserted(() -> {
            Answer projections = bank.asOperator().get("/actuator/health/kappaProjections");
            assertThat(projections.body().get("status").asString()).isEqualTo("DOWN");
            assertThat(projections.body().get("details").get("account-summary").get("state").asString())
                    .isEqualTo("WAITING_FOR_DATABASE");
        });

        DATABASE.restart();

        // a client retries with its Idempotency-Key until the bank answers: the deposit is made once
        Answer retried = await().atMost(PATIENCE).until(
                () -> bank.post("/accounts/ann/deposits", Map.of("amount", 10, "currency", "EUR"), "after-outage"),
                answer -> answer.status() == 200);
        // the projections resume by themselves: reads of them with the deposit's offset answer once they have it
        await().atMost(PATIENCE).untilAsserted(() -> {
            Answer listed = bank.get("/accounts?offset=" + retried.offset());
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body().get("content").get(0).get("balance").asLong()).isEqualTo(110);
        });
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                bank.get("/accounts/ann?offset=" + retried.offset()).body().get("balance").asLong()).isEqualTo(110));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                bank.get("/accounts/ann/transactions?offset=" + retried.offset()).body().get("content")).hasSize(2));
        await().atMost(PATIENCE).until(() -> bank.get("/actuator/health").status() == 200);
    }

    private static Answer timed(java.util.function.Supplier<Answer> request) {
        long started = System.nanoTime();
        Answer answer = request.get();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("answered %s after %s", answer.status(), took).isLessThan(PROMPTLY);
        return answer;
    }

    private static void assertUnavailable(Answer answer) {
        assertThat(answer.status()).as("%s", answer.raw().body()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isNotBlank();
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body().get("type").asString()).matches(".*/(store-unavailable|outcome-unknown)");
    }
}
