package dev.kappa.bank;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import dev.kappa.bank.BankClient.Answer;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may do what on the bank: the business API is open, the actuator is the operator's (HTTP basic, role OPERATOR),
 * health tells anyone its status but only the operator its details, and the console shows itself to anyone but acts
 * for the operator only.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.user.name=operator",
        "spring.security.user.password=" + BankClient.OPERATOR_PASSWORD,
        "spring.security.user.roles=OPERATOR"})
class BankSecurityTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final String RESTART = "/actuator/kappa/account-summary/restart";
    private static final String CONSOLE_RESTART = "/kappa/projections/account-summary/restart";

    @LocalServerPort
    int port;

    private BankClient anonymous;
    private BankClient operator;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @BeforeEach
    void clients() {
        anonymous = new BankClient(port);
        operator = anonymous.asOperator();
    }

    @Test
    void anAnonymousCallerCannotOperateAProjection() {
        Answer response = anonymous.postRaw(RESTART, "{}");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void aWrongPasswordCannotOperateAProjection() {
        Answer response = anonymous.signedInAs("operator", "guess").postRaw(RESTART, "{}");

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void theOperatorRestartsAProjection() {
        Answer response = operator.postRaw(RESTART, "{}");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.body().get("name").asString()).isEqualTo("account-summary");
    }

    @Test
    void theKappaEndpointAndTheOtherActuatorEndpointsAreTheOperatorsToRead() {
        for (String path : new String[] {"/actuator", "/actuator/kappa", "/actuator/kappa/account-summary",
                "/actuator/metrics"}) {
            assertThat(anonymous.get(path).status()).as("anonymous GET %s", path).isEqualTo(401);
            assertThat(operator.get(path).status()).as("the operator's GET %s", path).isEqualTo(200);
        }
    }

    @Test
    void anAnonymousCallerSeesHealthsStatusAndNothingElse() {
        for (String path : new String[] {"/actuator/health", "/actuator/health/readiness",
                "/actuator/health/liveness"}) {
            Answer response = anonymous.get(path);

            assertThat(response.status()).as("anonymous GET %s", path).isEqualTo(200);
            JsonNode health = response.body();
            // the status, and at the root the names of the probe groups: no component, no detail
            assertThat(health.propertyNames()).as("%s answered %s", path, health).isSubsetOf("status", "groups");
            assertThat(response.text()).doesNotContain("@", "kappaProjections", "db");
        }
        assertThat(anonymous.get("/actuator/health/kappaProjections").status())
                .as("a health component, anonymously").isEqualTo(404);
        assertThat(anonymous.get("/actuator/info").status()).as("anonymous GET /actuator/info").isEqualTo(200);
    }

    @Test
    void theOperatorSeesHealthsDetails() {
        JsonNode health = operator.get("/actuator/health").body();

        assertThat(health.get("components").has("kappaProjections")).as("%s", health).isTrue();
        assertThat(health.at("/components/kappaProjections/details/account-summary/state").isMissingNode())
                .as("%s", health).isFalse();
    }

    @Test
    void theBusinessApiIsOpenToAnonymousCallersWithoutACsrfToken() {
        Answer opened = anonymous.postRaw("/accounts",
                "{\"accountId\":\"sec-anna\",\"owner\":\"Anna\",\"currency\":\"EUR\"}");
        assertThat(opened.status()).as(opened.text()).isEqualTo(201);
        Answer deposited = anonymous.postRaw("/accounts/sec-anna/deposits", "{\"amount\":500,\"currency\":\"EUR\"}");
        assertThat(deposited.status()).as(deposited.text()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Answer account = anonymous.get("/accounts/sec-anna");
            assertThat(account.status()).isEqualTo(200);
            assertThat(account.body().get("balance").asLong()).isEqualTo(500);
        });
        Answer profile = anonymous.send("PUT", "/customers/sec-anna", "application/json",
                "{\"name\":\"Anna\",\"email\":\"anna@example.com\"}", Map.of());
        assertThat(profile.status()).as(profile.text()).isEqualTo(200);
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(200);
    }

    @Test
    void aMissingResourceIsA404ForAnAnonymousCallerNotA401() {
        Answer response = anonymous.get("/no-such-page");

        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void aWriteWithoutAJsonBodyIsRefusedEvenWithTheOperatorsCredentials() {
        // what a cross-site form or a no-cors fetch can send without a preflight, with credentials a browser cached
        Answer plain = operator.send("POST", RESTART, "text/plain", "{}", Map.of());
        Answer form = operator.send("POST", RESTART, "application/x-www-form-urlencoded", "a=b", Map.of());
        Answer bare = operator.send("POST", RESTART, null, null, Map.of());

        assertThat(plain.status()).as("text/plain").isEqualTo(415);
        assertThat(form.status()).as("a form").isEqualTo(415);
        assertThat(bare.status()).as("no body, no Content-Type").isEqualTo(415);
    }

    @Test
    void anyoneReadsTheConsoleAsADemoWithoutActions() {
        Answer page = anonymous.get("/kappa");
        Answer state = anonymous.get("/kappa/state");
        Answer style = anonymous.get("/kappa/assets/console.css");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(state.status()).as(state.text()).isEqualTo(200);
        assertThat(state.body().get("user").isNull()).as("%s", state.body().get("user")).isTrue();
        assertThat(state.body().get("canAct").asBoolean()).isFalse();
        assertThat(style.status()).isEqualTo(200);
    }

    @Test
    void theConsolesSignInAsksForCredentialsAndSendsTheOperatorToTheConsole() {
        Answer anonymousSignIn = anonymous.get("/kappa/sign-in");
        Answer operatorSignIn = operator.get("/kappa/sign-in");

        assertThat(anonymousSignIn.status()).isEqualTo(401);
        assertThat(anonymousSignIn.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(operatorSignIn.status()).isEqualTo(302);
        assertThat(operatorSignIn.header("Location")).endsWith("/kappa");
        assertThat(operator.get("/kappa/state").body().get("canAct").asBoolean()).isTrue();
    }

    @Test
    void anAnonymousCallerCannotActInTheConsole() {
        Answer response = anonymous.postRaw(CONSOLE_RESTART, "{\"confirm\":true}");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void theOperatorActsInTheConsole() {
        Answer response = operator.postRaw(CONSOLE_RESTART, "{\"confirm\":true,\"note\":\"from a test\"}");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    @Test
    void aConsoleActionWithoutAJsonBodyIsRefusedEvenWithTheOperatorsCredentials() {
        // what a cross-site form or a no-cors fetch can send without a preflight, with credentials a browser cached
        Answer plain = operator.send("POST", CONSOLE_RESTART, "text/plain", "{\"confirm\":true}", Map.of());
        Answer form = operator.send("POST", CONSOLE_RESTART, "application/x-www-form-urlencoded", "confirm=true",
                Map.of());

        assertThat(plain.status()).as("text/plain").isEqualTo(415);
        assertThat(form.status()).as("a form").isEqualTo(415);
    }
}
