package dev.kappa.boot.autoconfigure.bank;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kappa.boot.autoconfigure.bank.Account.Deposit;
import dev.kappa.boot.autoconfigure.bank.Account.OpenAccount;
import dev.kappa.eventstore.CompactionResult;
import dev.kappa.eventstore.EventStore;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandResult;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.CheckpointWaits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A whole application on the starter's auto-configuration: commands reach a Spring Data JDBC read model and a Caffeine
 * read model, the actuator endpoint reports and resets them, and a transaction rolls back the application's row and
 * the command's events together.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,kappa",
        "management.endpoint.kappa.access=unrestricted",
        "management.endpoint.health.show-details=always"})
class BankApplicationTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Autowired
    CommandGateway commands;
    @Autowired
    CheckpointWaits projections;
    @Autowired
    AccountSummaryRepository summaries;
    @Autowired
    BalanceCache balanceCache;
    @Autowired
    OnboardingService onboarding;
    @Autowired
    EventStore store;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private ActuatorClient actuator;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @BeforeEach
    void client() {
        actuator = new ActuatorClient(port);
    }

    @Test
    void aCommandReachesTheDatabaseReadModelAndTheInMemoryOne() throws Exception {
        commands.sendAndWait(new OpenAccount("a-1", "Ada"));
        CommandResult deposit = commands.sendAndWait(new Deposit("a-1", 250));

        assertThat(projections.awaitCheckpoint("account-summary", deposit.lastOffset(), PATIENCE).reached()).isTrue();
        assertThat(projections.awaitCheckpoint("balance-cache", deposit.lastOffset(), PATIENCE).reached()).isTrue();
        assertThat(summaries.findById("a-1")).contains(new AccountSummary("a-1", "Ada", 250, 2));
        assertThat(balanceCache.balance("a-1")).isEqualTo(250);
    }

    @Test
    void theActuatorEndpointReportsTheProjectionsAndResetsOne() throws Exception {
        commands.sendAndWait(new OpenAccount("a-2", "Bob"));
        CommandResult deposit = commands.sendAndWait(new Deposit("a-2", 40));
        projections.awaitCheckpoint("account-summary", deposit.lastOffset(), PATIENCE);

        HttpResponse<String> report = actuator.get("/actuator/kappa");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"name\":\"account-summary\"").contains("\"name\":\"balance-cache\"")
                .contains("\"head\":");

        // when the read model is damaged and reset through the endpoint
        jdbc.update("UPDATE account_summary SET balance = -1 WHERE account_id = 'a-2'");
        HttpResponse<String> reset = actuator.post("/actuator/kappa/account-summary/reset");

        // then the log is replayed into it
        assertThat(reset.statusCode()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> summaries.findById("a-2").map(AccountSummary::balance).orElse(0L) == 40);
        assertThat(actuator.get("/actuator/kappa/account-summary").body()).contains("\"name\":\"account-summary\"");
        assertThat(actuator.post("/actuator/kappa/account-summary/explode").statusCode()).isEqualTo(400);
        assertThat(actuator.post("/actuator/kappa/no-such-projection/reset").statusCode()).isEqualTo(400);
        assertThat(actuator.get("/actuator/kappa/no-such-projection").statusCode()).isEqualTo(404);
    }

    @Test
    void theActuatorReportNamesTheFleetAndCompactionsLastRun() throws Exception {
        // given a log compacted once
        commands.sendAndWait(new OpenAccount("a-fleet", "Cy"));
        CompactionResult compacted = store.compactor().compact();
        assertThat(compacted.skipped()).isFalse();

        // then the report shows this instance running the database projections, and that run
        String report = actuator.get("/actuator/kappa").body();
        assertThat(report).contains("\"fleet\":[{\"instanceId\":").contains("\"self\":true")
                .contains("\"account-summary\"")
                .contains("\"compaction\":{\"finishedAt\":")
                .contains("\"compactedThrough\":" + compacted.compactedThrough());
    }

    @Test
    void aResetToAnOffsetTheProjectionCannotGoBackToIsABadRequestSayingWhatToDo() throws Exception {
        // given a read model whose reset handler clears it whole
        commands.sendAndWait(new OpenAccount("a-5", "Ann"));
        CommandResult deposit = commands.sendAndWait(new Deposit("a-5", 70));
        projections.awaitCheckpoint("account-summary", deposit.lastOffset(), PATIENCE);

        // when it is asked to reset to an offset above 0
        HttpResponse<String> refused = actuator.post("/actuator/kappa/account-summary/reset?offset=1");

        // then the request is refused, with what to do instead, and the read model is untouched
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/problem+json"));
        assertThat(refused.body()).contains("projection 'account-summary' cannot be reset to offset 1")
                .contains("Reset it to 0, or rebuild it blue-green")
                .contains("@ResetHandler(toOffset = true)");
        assertThat(summaries.findById("a-5")).contains(new AccountSummary("a-5", "Ann", 70, 2));
    }

    @Test
    void theEndpointsRefusalsAreProblemsNamingWhatWasWrong() throws Exception {
        String types = "https://kappa.dev/problems/";

        // an offset in a JSON body, as a number: read, and refused by the projection for what it is
        HttpResponse<String> numeric = actuator.post("/actuator/kappa/account-summary/reset", "{\"offset\": 3}");
        assertThat(numeric.statusCode()).as(numeric.body()).isEqualTo(400);
        assertThat(json(numeric).get("detail").asString()).contains("cannot be reset to offset 3");
        assertThat(json(numeric).get("type").asString()).isEqualTo(types + "operation-refused");
        assertThat(json(numeric).get("instance").asString()).isEqualTo("/actuator/kappa/account-summary/reset");
        HttpResponse<String> toZero = actuator.post("/actuator/kappa/account-summary/reset", "{\"offset\": 0}");
        assertThat(toZero.statusCode()).as(toZero.body()).isEqualTo(200);

        // an offset that is no offset names the parameter and what it must be
        for (String offset : new String[] {"abc", "99999999999999999999", "-1", "1.5"}) {
            for (String action : new String[] {"reset", "replay", "skip"}) {
                HttpResponse<String> bad = actuator.post("/actuator/kappa/account-summary/" + action + "?offset="
                        + offset);
                assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
                assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                        .startsWith("application/problem+json"));
                assertThat(json(bad).get("detail").asString()).isEqualTo("offset: must be a log offset, a whole"
                        + " number from 0 to 9223372036854775807, not '" + offset + "'");
                assertThat(json(bad).get("type").asString()).isEqualTo(types + "invalid-request");
                assertThat(json(bad).get("instance").asString())
                        .isEqualTo("/actuator/kappa/account-summary/" + action);
            }
        }

        // an unknown projection: 404 on a read, naming it and the known ones
        for (String path : new String[] {"/actuator/kappa/nope", "/actuator/kappa/nope/dead-letters"}) {
            HttpResponse<String> missing = actuator.get(path);
            assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
            assertThat(json(missing).get("type").asString()).isEqualTo(types + "not-found");
            assertThat(json(missing).get("detail").asString()).contains("there is no projection 'nope'")
                    .contains("account-summary").contains("balance-cache");
            assertThat(json(missing).get("instance").asString()).isEqualTo(path);
        }
        HttpResponse<String> unknownPart = actuator.get("/actuator/kappa/account-summary/letters");
        assertThat(unknownPart.statusCode()).isEqualTo(404);
        assertThat(json(unknownPart).get("detail").asString()).contains("dead-letters");
        HttpResponse<String> unknownAction = actuator.post("/actuator/kappa/account-summary/explode");
        assertThat(json(unknownAction).get("type").asString()).isEqualTo(types + "operation-refused");
        assertThat(json(unknownAction).get("instance").asString()).isEqualTo("/actuator/kappa/account-summary/explode");
        HttpResponse<String> noLetter = actuator.post("/actuator/kappa/account-summary/replay?offset=1");
        assertThat(noLetter.statusCode()).isEqualTo(400);
        assertThat(json(noLetter).get("detail").asString())
                .contains("GET /actuator/kappa/account-summary/dead-letters").doesNotContain("deadLetters(");
    }

    @Test
    void whatTomcatRefusesBeforeSpringIsAProblemToo() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : new String[] {"/accounts/ab%00cd", "/accounts/a%2fb", "/accounts/a%5cb",
                "/accounts/..%2f..%2factuator"}) {
            HttpResponse<String> refused = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertProblem(refused, path);
        }
        HttpResponse<String> bigHeader = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/actuator/kappa"))
                .header("X-Padding", "p".repeat(10_000)).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(bigHeader, "a header over 8 KB");
    }

    private static void assertProblem(HttpResponse<String> refused, String what) {
        assertThat(refused.statusCode()).as(what + ": " + refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/problem+json"));
        assertThat(json(refused).get("type").asString()).isEqualTo("https://kappa.dev/problems/invalid-request");
        assertThat(json(refused).get("status").asInt()).isEqualTo(400);
        assertThat(json(refused).get("detail").asString()).contains("the request cannot be read");
    }

    private static tools.jackson.databind.JsonNode json(HttpResponse<String> answer) {
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(answer.body());
    }

    @Test
    void theHealthEndpointShowsTheProjections() throws Exception {
        HttpResponse<String> health = actuator.get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"kappaProjections\"").contains("\"account-summary\"");
    }

    @Test
    void aRolledBackTransactionLeavesNeitherTheApplicationsRowNorTheEvents() {
        assertThatThrownBy(() -> onboarding.onboard("a-3", "Eve", true)).hasMessage("the identity check failed");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit WHERE entry = 'onboarded a-3'", Long.class)).isZero();
        assertThat(store.streamVersion("account-a-3")).isZero();

        onboarding.onboard("a-4", "Zoe", false);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit WHERE entry = 'onboarded a-4'", Long.class))
                .isEqualTo(1);
        assertThat(store.streamVersion("account-a-4")).isEqualTo(1);
    }

    @Test
    void kappasTablesAreMigratedBesideTheApplicationsOwnFlywayHistory() {
        assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE script = 'V1__bank.sql'",
                Long.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kappa_schema_history WHERE success", Long.class))
                .isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kappa_projections_schema_history WHERE success",
                Long.class)).isPositive();
    }
}
