package dev.kappa.bank;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.activity.ActivityApplication;
import dev.kappa.eventstore.EventStore;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/kafka.md's session, read from the document and run as it says: the bank, started with the profile
 * {@code kafka}, relays its log to a Kafka broker; the account-activity application, with a database of its own,
 * reads it from there into its read model; a reset of its projection rebuilds the same activity from the topic. Both
 * applications run in this JVM, each a Spring context of its own on a database of its own, beside a KRaft broker.
 */
class AccountActivityAcrossKafkaTest {

    private static final Path DOCUMENT = Path.of("../docs/kafka.md");
    private static final String SESSION_HEADING = "### A session across Kafka";
    /** The shell variables the session may use, as the reader has set them. */
    private static final Map<String, String> SHELL = Map.of("BANK_OPERATOR_PASSWORD", "bank-operator",
            "ACTIVITY_OPERATOR_PASSWORD", "activity-operator");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EmbeddedKafkaKraftBroker broker;
    private static TestDatabase bankDatabase;
    private static TestDatabase activityDatabase;
    private static ConfigurableApplicationContext bank;
    private static ConfigurableApplicationContext activity;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1", "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        // the broker names itself in system properties, which would turn Kafka on in every later test of this JVM
        System.clearProperty("spring.kafka.bootstrap-servers");
        System.clearProperty("spring.embedded.kafka.brokers");
        bankDatabase = TestDatabase.create();
        activityDatabase = TestDatabase.create();

        // as docs/kafka.md runs them: the bank with the profile kafka, then the activity application; each is told
        // where Kafka is by KAFKA_BOOTSTRAP_SERVERS, and where its own database is
        SpringApplication bankApplication = new SpringApplication(BankApplication.class);
        bankApplication.setAdditionalProfiles("kafka");
        bank = bankApplication.run("--server.port=0", "--spring.datasource.url=" + bankDatabase.jdbcUrl(),
                "--spring.datasource.username=postgres", "--KAFKA_BOOTSTRAP_SERVERS=" + broker.getBrokersAsString(),
                "--BANK_OPERATOR_PASSWORD=" + SHELL.get("BANK_OPERATOR_PASSWORD"));
        activity = ActivityApplication.application().run("--server.port=0",
                "--spring.datasource.url=" + activityDatabase.jdbcUrl(), "--spring.datasource.username=postgres",
                "--KAFKA_BOOTSTRAP_SERVERS=" + broker.getBrokersAsString(),
                "--ACTIVITY_OPERATOR_PASSWORD=" + SHELL.get("ACTIVITY_OPERATOR_PASSWORD"));
    }

    @AfterAll
    static void stop() {
        if (activity != null) {
            activity.close();
        }
        if (bank != null) {
            bank.close();
        }
        if (broker != null) {
            broker.destroy();
        }
        if (activityDatabase != null) {
            activityDatabase.close();
        }
        if (bankDatabase != null) {
            bankDatabase.close();
        }
    }

    @Test
    void theBanksWritesReachTheActivityApplicationThroughKafkaAndAResetRebuildsThem() throws Exception {
        List<CurlSession.Step> session = new CurlSession(SHELL, Map.of(8080, port(bank), 8090, port(activity)))
                .read(DOCUMENT, SESSION_HEADING);
        assertThat(session).as("curl commands in the session of %s", DOCUMENT).hasSizeGreaterThanOrEqualTo(6);

        for (CurlSession.Step step : session) {
            if (step.request().method().equals("GET")) {
                // a read names the bank's offset, so it waits for the activity to include it: a retry here covers
                // the first moments, while the relay and the projection's consumer start
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> CurlSession.assertAnswers(http, step));
            } else {
                CurlSession.assertAnswers(http, step);
            }
        }

        // the activity application never saw the bank's database: its own log is empty, all it knows came by Kafka
        assertThat(activity.getBean(EventStore.class).head()).isZero();
        assertThat(bank.getBean(EventStore.class).head()).isPositive();
    }

    @Test
    void theBankShowsItsRelayAndTheActivityApplicationItsKafkaFedProjection() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode relay = get(bank, "/actuator/kappa", "BANK_OPERATOR_PASSWORD").get("relay");
            assertThat(relay).as("the bank's relay in /actuator/kappa").isNotNull();
            assertThat(relay.get("state").asString()).isIn("CAUGHT_UP", "RELAYING");
            JsonNode health = get(bank, "/actuator/health", "BANK_OPERATOR_PASSWORD").get("components")
                    .get("kappaRelay");
            assertThat(health.get("status").asString()).isEqualTo("UP");
        });
        // the relay's metrics are in the bank's registry
        JsonNode lag = get(bank, "/actuator/metrics/kappa.relay.lag", "BANK_OPERATOR_PASSWORD");
        assertThat(lag.get("availableTags").findValuesAsString("tag")).contains("relay");

        JsonNode report = get(activity, "/actuator/kappa", "ACTIVITY_OPERATOR_PASSWORD");
        assertThat(report.get("projections").findValuesAsString("name")).contains("account-activity");
        assertThat(report.has("relay")).as("the activity application relays nothing").isFalse();
        assertThat(report.has("views")).as("nor has it compacted views").isFalse();
    }

    @Test
    void anAccountWithNoActivityReadIsANotFoundProblem() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + port(activity) + "/accounts/nobody/activity")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("nobody");
    }

    private JsonNode get(ConfigurableApplicationContext application, String path, String password) throws Exception {
        String credentials = "operator:" + SHELL.get(password);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + port(application) + path)).header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s answered %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int port(ConfigurableApplicationContext application) {
        return ((WebServerApplicationContext) application).getWebServer().getPort();
    }
}
