package dev.kappa.boot.autoconfigure.bank;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.boot.autoconfigure.bank.Account.Deposit;
import dev.kappa.boot.autoconfigure.bank.Account.MoneyDeposited;
import dev.kappa.boot.autoconfigure.bank.Account.OpenAccount;
import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.framework.CommandGateway;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator gets a projection stopped by a poison event going again over the actuator endpoint: skips the event,
 * lists it as a dead letter with its payload, error and decision, and replays it once it can be applied.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,kappa",
        "management.endpoint.kappa.access=unrestricted",
        "management.endpoint.health.show-details=always"})
class DeadLetterEndpointTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    CommandGateway commands;
    @Autowired
    ProjectionMonitor projections;
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
    void aPoisonEventIsSkippedListedAndReplayedOverTheEndpoint() throws Exception {
        // given an account the summary holds, and a deposit that overflows its balance column
        commands.sendAndWait(new OpenAccount("p-1", "Pia"));
        commands.sendAndWait(new Deposit("p-1", 1));
        AppendResult poison = store.append("account-p-1", ExpectedVersion.any(),
                List.of(NewEvent.of(new MoneyDeposited("p-1", Long.MAX_VALUE))));
        long offset = poison.toOffset();
        await().atMost(PATIENCE).until(() -> projections.status("account-summary").state() == ProjectionState.FAILED);
        assertThat(actuator.get("/actuator/health").statusCode()).isEqualTo(503);

        // a skip needs the offset the projection is stopped at
        HttpResponse<String> withoutOffset = actuator.post("/actuator/kappa/account-summary/skip");
        assertThat(withoutOffset.statusCode()).isEqualTo(400);
        assertThat(withoutOffset.body()).contains("give the offset of the event to skip");
        HttpResponse<String> wrongOffset = actuator.post("/actuator/kappa/account-summary/skip?offset=" + (offset - 1));
        assertThat(wrongOffset.statusCode()).isEqualTo(400);
        assertThat(wrongOffset.body()).contains("is stopped at offset " + offset);
        assertThat(actuator.post("/actuator/kappa/account-summary/replay?offset=" + offset).statusCode())
                .isEqualTo(400);

        // when the operator skips it
        HttpResponse<String> skipped = actuator.post("/actuator/kappa/account-summary/skip?offset=" + offset
                + "&note=overflow%20from%20before%20the%20fix");

        // then the projection moves on and health is up again
        assertThat(skipped.statusCode()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> projections.status("account-summary").state() == ProjectionState.RUNNING);
        assertThat(actuator.get("/actuator/health").statusCode()).isEqualTo(200);
        // and the event is listed as a dead letter with its payload, error and the decision
        HttpResponse<String> listed = actuator.get("/actuator/kappa/account-summary/dead-letters");
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode letter = single(listed.body());
        assertThat(letter.get("offset").asLong()).isEqualTo(offset);
        assertThat(letter.get("payload").get("amount").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(letter.get("payload").get("accountId").asString()).isEqualTo("p-1");
        assertThat(letter.get("metadata").get("eventId").asString()).isNotBlank();
        assertThat(letter.get("message").asString()).contains("bigint out of range");
        assertThat(letter.get("state").asString()).isEqualTo("SKIPPED");
        assertThat(letter.get("decision").get("by").asString()).isEqualTo("operator");
        assertThat(letter.get("decision").get("note").asString()).isEqualTo("overflow from before the fix");
        assertThat(actuator.get("/actuator/kappa/account-summary/no-such-thing").statusCode()).isEqualTo(404);
        assertThat(actuator.get("/actuator/kappa/no-such-projection/dead-letters").statusCode()).isEqualTo(404);

        // a replay that fails again is a 409 that shows the letter, which stays
        HttpResponse<String> failedAgain = actuator.post("/actuator/kappa/account-summary/replay?offset=" + offset);
        assertThat(failedAgain.statusCode()).isEqualTo(409);
        assertThat(failedAgain.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(failedAgain.body());
        assertThat(problem.get("type").asString()).isEqualTo("https://kappa.dev/problems/replay-failed");
        assertThat(problem.get("status").asInt()).isEqualTo(409);
        assertThat(problem.get("detail").asString()).contains("bigint out of range").contains("stays SKIPPED");
        assertThat(problem.get("instance").asString()).isEqualTo("/actuator/kappa/account-summary/replay");
        assertThat(single(problem.get("letters").toString()).get("state").asString()).isEqualTo("SKIPPED");

        // once the event can be applied, a replay applies it
        jdbc.update("UPDATE account_summary SET balance = 0 WHERE account_id = 'p-1'");
        HttpResponse<String> replayed = actuator.post("/actuator/kappa/account-summary/replay?offset=" + offset);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(single(replayed.body()).get("state").asString()).isEqualTo("REPLAYED");
        assertThat(jdbc.queryForObject("SELECT balance FROM account_summary WHERE account_id = 'p-1'", Long.class))
                .isEqualTo(Long.MAX_VALUE);
    }

    private static JsonNode single(String body) {
        JsonNode letters = JSON.readTree(body);
        assertThat(letters.isArray()).as(body).isTrue();
        assertThat(letters.size()).as(body).isEqualTo(1);
        return letters.get(0);
    }
}
