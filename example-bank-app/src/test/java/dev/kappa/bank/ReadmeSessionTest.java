package dev.kappa.bank;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The curl session of the README, read from the README itself and run against the bank: every command must answer
 * what its comment shows (a GET may take a moment to, as the transfer completes asynchronously). Run twice, to show
 * that the Idempotency-Key headers make the session safe to repeat. The operator's password reaches the bank as the
 * README says, through {@code BANK_OPERATOR_PASSWORD}, and the session's {@code $BANK_OPERATOR_PASSWORD} expands to it.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadmeSessionTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final Path README = Path.of("../README.md");
    private static final String SESSION_HEADING = "### A session with the bank";
    /** The shell variables the session may use, as the reader has set them. */
    private static final Map<String, String> SHELL = Map.of("BANK_OPERATOR_PASSWORD", "readme-operator-password");

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        // as the reader's environment would give it to the bank (application.yml reads it)
        registry.add("BANK_OPERATOR_PASSWORD", () -> SHELL.get("BANK_OPERATOR_PASSWORD"));
    }

    @Test
    void theReadmeSessionAnswersAsPrintedTwiceOver() throws Exception {
        List<CurlSession.Step> session = new CurlSession(SHELL, Map.of(8080, port)).read(README, SESSION_HEADING);
        assertThat(session).as("curl commands in the README's session").hasSizeGreaterThanOrEqualTo(8);

        for (int run = 1; run <= 2; run++) {
            for (CurlSession.Step step : session) {
                if (step.request().method().equals("GET")) {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> CurlSession.assertAnswers(http, step));
                } else {
                    CurlSession.assertAnswers(http, step);
                }
            }
        }
    }
}
