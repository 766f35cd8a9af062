package dev.kappa.bank;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may do what on the bank: the business API is open, the actuator is the operator's (HTTP basic, role OPERATOR),
 * and health tells anyone its status but only the operator its details.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.user.name=operator",
        "spring.security.user.password=test-operator-password",
        "spring.security.user.roles=OPERATOR"})
class BankSecurityTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OPERATOR = basic("operator", "test-operator-password");
    private static final String RESTART = "/actuator/kappa/account-summary/restart";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @Test
    void anAnonymousCallerCannotOperateAProjection() {
        HttpResponse<String> response = send(post(RESTART, "application/json", "{}"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Basic"));
    }

    @Test
    void aWrongPasswordCannotOperateAProjection() {
        HttpResponse<String> response = send(post(RESTART, "application/json", "{}")
                .header("Authorization", basic("operator", "guess")));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void theOperatorRestartsAProjection() {
        HttpResponse<String> response = send(post(RESTART, "application/json", "{}")
                .header("Authorization", OPERATOR));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("name").asString()).isEqualTo("account-summary");
    }

    @Test
    void theKappaEndpointAndTheOtherActuatorEndpointsAreTheOperatorsToRead() {
        for (String path : new String[] {"/actuator", "/actuator/kappa", "/actuator/kappa/account-summary",
                "/actuator/metrics"}) {
            assertThat(send(get(path)).statusCode()).as("anonymous GET %s", path).isEqualTo(401);
            assertThat(send(get(path).header("Authorization", OPERATOR)).statusCode())
                    .as("the operator's GET %s", path).isEqualTo(200);
        }
    }

    @Test
    void anAnonymousCallerSeesHealthsStatusAndNothingElse() {
        for (String path : new String[] {"/actuator/health", "/actuator/health/readiness",
                "/actuator/health/liveness"}) {
            HttpResponse<String> response = send(get(path));

            assertThat(response.statusCode()).as("anonymous GET %s", path).isEqualTo(200);
            JsonNode health = json(response);
            // the status, and at the root the names of the probe groups: no component, no detail
            assertThat(health.propertyNames()).as("%s answered %s", path, health).isSubsetOf("status", "groups");
            assertThat(response.body()).doesNotContain("@", "kappaProjections", "db");
        }
        assertThat(send(get("/actuator/health/kappaProjections")).statusCode())
                .as("a health component, anonymously").isEqualTo(404);
        assertThat(send(get("/actuator/info")).statusCode()).as("anonymous GET /actuator/info").isEqualTo(200);
    }

    @Test
    void theOperatorSeesHealthsDetails() {
        JsonNode health = json(send(get("/actuator/health").header("Authorization", OPERATOR)));

        assertThat(health.get("components").has("kappaProjections")).as("%s", health).isTrue();
        assertThat(health.at("/components/kappaProjections/details/account-summary/state").isMissingNode())
                .as("%s", health).isFalse();
    }

    @Test
    void theBusinessApiIsOpenToAnonymousCallersWithoutACsrfToken() {
        HttpResponse<String> opened = send(post("/accounts", "application/json",
                "{\"accountId\":\"sec-anna\",\"owner\":\"Anna\",\"currency\":\"EUR\"}"));
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        HttpResponse<String> deposited = send(post("/accounts/sec-anna/deposits", "application/json",
                "{\"amount\":500,\"currency\":\"EUR\"}"));
        assertThat(deposited.statusCode()).as(deposited.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> account = send(get("/accounts/sec-anna"));
            assertThat(account.statusCode()).isEqualTo(200);
            assertThat(json(account).get("balance").asLong()).isEqualTo(500);
        });
        HttpResponse<String> profile = send(HttpRequest.newBuilder(uri("/customers/sec-anna"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"Anna\",\"email\":\"anna@example.com\"}")));
        assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
        assertThat(send(get("/v3/api-docs")).statusCode()).isEqualTo(200);
    }

    @Test
    void aMissingResourceIsA404ForAnAnonymousCallerNotA401() {
        HttpResponse<String> response = send(get("/no-such-page"));

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void aWriteWithoutAJsonBodyIsRefusedEvenWithTheOperatorsCredentials() {
        // what a cross-site form or a no-cors fetch can send without a preflight, with credentials a browser cached
        HttpResponse<String> plain = send(post(RESTART, "text/plain", "{}").header("Authorization", OPERATOR));
        HttpResponse<String> form = send(post(RESTART, "application/x-www-form-urlencoded", "a=b")
                .header("Authorization", OPERATOR));
        HttpResponse<String> bare = send(HttpRequest.newBuilder(uri(RESTART))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", OPERATOR));

        assertThat(plain.statusCode()).as("text/plain").isEqualTo(415);
        assertThat(form.statusCode()).as("a form").isEqualTo(415);
        assertThat(bare.statusCode()).as("no body, no Content-Type").isEqualTo(415);
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private HttpRequest.Builder post(String path, String contentType, String body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the bank did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }
}
