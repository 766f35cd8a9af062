package dev.kappa.bank;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The shell variables the session may use, as the reader has set them. */
    private static final Map<String, String> SHELL = Map.of("BANK_OPERATOR_PASSWORD", "readme-operator-password");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Z_]+)}|([A-Z_]+))");

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
        List<Step> session = session();
        assertThat(session).as("curl commands in the README's session").hasSizeGreaterThanOrEqualTo(8);

        for (int run = 1; run <= 2; run++) {
            for (Step step : session) {
                if (step.request().method().equals("GET")) {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertAnswers(step));
                } else {
                    assertAnswers(step);
                }
            }
        }
    }

    private void assertAnswers(Step step) throws Exception {
        HttpResponse<String> response = http.send(step.request(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s answered %s", step.curl(), response.body()).isLessThan(300);
        JsonNode actual = JSON.readTree(response.body());
        assertThat(contains(actual, step.expected())).as("%s%nanswered %s%nnot %s", step.curl(), actual,
                step.expected()).isTrue();
    }

    /** Whether {@code actual} has everything {@code expected} has: fields of objects, arrays element by element. */
    private static boolean contains(JsonNode actual, JsonNode expected) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                JsonNode value = actual.get(field.getKey());
                if (value == null || !contains(value, field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!contains(actual.get(i), expected.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return actual.equals(expected) || (actual.isNumber() && expected.isNumber()
                && actual.asString().equals(expected.asString()));
    }

    private List<Step> session() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int heading = lines.indexOf(SESSION_HEADING);
        assertThat(heading).as("the README's '%s' section", SESSION_HEADING).isNotNegative();
        List<Step> steps = new ArrayList<>();
        Iterator<String> rest = lines.subList(heading, lines.size()).iterator();
        while (rest.hasNext() && !rest.next().equals("```shell")) {
            // skip to the session's code block
        }
        String curl = null;
        Set<String> exported = new HashSet<>();
        while (rest.hasNext()) {
            String line = rest.next();
            if (line.equals("```")) {
                break;
            }
            if (line.startsWith("export ")) {
                // the reader writes in the value the README asks for: the test's own stands for it
                String name = line.substring("export ".length()).split("=", 2)[0];
                assertThat(SHELL).as("a value for %s", line).containsKey(name);
                exported.add(name);
            } else if (line.startsWith("curl ")) {
                assertThat(exported).as("the variables exported before %s", line).containsAll(variables(line));
                curl = line;
            } else if (line.startsWith("# ") && curl != null) {
                steps.add(new Step(curl, request(curl), JSON.readTree(line.substring(2))));
                curl = null;
            }
        }
        return steps;
    }

    /**
     * Reads the subset of curl the README uses: -s, -X, -H, -d and -u (basic credentials), with single-quoted
     * arguments and the shell's {@code $VARIABLE}s outside them.
     */
    private HttpRequest request(String curl) {
        List<String> words = words(curl);
        String method = "GET";
        String body = null;
        String url = null;
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-s" -> { }
                case "-X" -> method = words.get(++i);
                case "-H" -> headers.add(words.get(++i).split(": ", 2));
                case "-d" -> body = words.get(++i);
                case "-u" -> headers.add(new String[] {"Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(words.get(++i).getBytes(StandardCharsets.UTF_8))});
                default -> url = words.get(i);
            }
        }
        assertThat(url).as("the URL of %s", curl).startsWith("localhost:8080/");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + url.substring("localhost:8080".length())));
        headers.forEach(header -> request.header(header[0], header[1]));
        if (body == null && method.equals("POST")) {
            body = "{}";
        }
        return request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The shell variables a line uses (outside single quotes, which the README's session does not mix with them). */
    private static Set<String> variables(String line) {
        Set<String> names = new HashSet<>();
        Matcher variable = VARIABLE.matcher(line.replaceAll("'[^']*'", ""));
        while (variable.find()) {
            names.add(variable.group(1) != null ? variable.group(1) : variable.group(2));
        }
        return names;
    }

    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else if (c == '$' && !quoted) {
                Matcher variable = VARIABLE.matcher(line).region(i, line.length());
                assertThat(variable.lookingAt()).as("a shell variable at %d of %s", i, line).isTrue();
                String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
                String value = SHELL.get(name);
                assertThat(value).as("the value of $%s in %s: only %s are set", name, line,
                        SHELL.keySet()).isNotNull();
                word.append(value);
                i = variable.end() - 1;
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    private record Step(String curl, HttpRequest request, JsonNode expected) {
    }
}
