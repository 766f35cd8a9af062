package dev.kappa.boot.autoconfigure.gettingstarted;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/getting-started.md holds: every code block of the page is in this package as printed, and the application
 * they make answers the page's curl session as printed, plus what the page promises of its errors and retries.
 */
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.flyway.locations=classpath:db/gettingstarted")
class GettingStartedTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final Path PAGE = Path.of("../../docs/getting-started.md");
    private static final Path SOURCES = Path.of("src/test/java/dev/kappa/boot/autoconfigure/gettingstarted");
    private static final Path MIGRATION = Path.of("src/test/resources/db/gettingstarted/V1__balances.sql");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @Test
    @Order(1)
    void theSessionOfThePageAnswersAsPrinted() throws Exception {
        List<Step> session = session();
        assertThat(session).as("curl commands of the page's session").hasSizeGreaterThanOrEqualTo(5);

        for (Step step : session) {
            HttpResponse<String> response = http.send(step.request(), HttpResponse.BodyHandlers.ofString());
            JsonNode actual = JSON.readTree(response.body());
            assertThat(contains(actual, step.expected())).as("%s%nanswered %s %s%nnot %s", step.curl(),
                    response.statusCode(), actual, step.expected()).isTrue();
            if (response.statusCode() == 503) {
                assertThat(response.headers().firstValue("Retry-After")).as(step.curl()).hasValue("1");
            }
        }
    }

    @Test
    @Order(2)
    void theSessionRunAgainAnswersAsPrintedButForTheOpeningWhichIsAConflict() throws Exception {
        List<Step> session = session();

        for (Step step : session) {
            HttpResponse<String> response = http.send(step.request(), HttpResponse.BodyHandlers.ofString());
            JsonNode actual = JSON.readTree(response.body());
            if (step == session.get(0)) {
                assertThat(response.statusCode()).as(step.curl()).isEqualTo(409);
                assertThat(actual.get("type").asString()).as(step.curl()).endsWith("/already-exists");
            } else {
                assertThat(contains(actual, step.expected())).as("%s%nanswered %s %s%nnot %s", step.curl(),
                        response.statusCode(), actual, step.expected()).isTrue();
            }
        }
    }

    @Test
    void everyCodeBlockOfThePageIsInTheApplicationAsPrinted() throws IOException {
        String page = Files.readString(PAGE);
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            files.filter(file -> !file.endsWith("GettingStartedTest.java")).forEach(file -> sources.add(read(file)));
        }
        List<String> java = blocks(page, "java");

        assertThat(java).as("java blocks of the page").hasSize(5);
        for (String block : java) {
            assertThat(sources).as("a file holding the block%n%s", block)
                    .anyMatch(source -> squeezed(source).contains(squeezed(block)));
        }
        assertThat(squeezed(read(MIGRATION))).isEqualTo(squeezed(blocks(page, "sql").get(0)));
    }

    @Test
    void openingAnAccountTwiceIsAConflict() throws Exception {
        send("POST", "/accounts", "{\"accountId\": \"twice\", \"owner\": \"Tom\"}", Map.of());

        HttpResponse<String> again = send("POST", "/accounts", "{\"accountId\": \"twice\", \"owner\": \"Tom\"}",
                Map.of());

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).get("type").asString()).endsWith("/already-exists");
    }

    @Test
    void aMalformedRequestIsA400ThatNamesTheField() throws Exception {
        HttpResponse<String> lots = send("POST", "/accounts/42/deposits?amount=lots", null, Map.of());
        HttpResponse<String> noOwner = send("POST", "/accounts", "{\"accountId\": 5, \"owner\": \"Ann\"}", Map.of());
        HttpResponse<String> longId = send("POST", "/accounts/" + "x".repeat(300) + "/deposits?amount=1", null,
                Map.of());

        assertThat(lots.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(lots.body()).get("detail").asString())
                .isEqualTo("amount: must be a whole number, not 'lots'");
        assertThat(noOwner.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noOwner.body()).get("detail").asString()).startsWith("accountId: must be a string");
        assertThat(longId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(longId.body()).get("detail").asString()).contains("Account id 'xxxx")
                .contains("it must have at most 192");
    }

    @Test
    void aWriteRetriedWithItsIdempotencyKeyIsAppliedOnce() throws Exception {
        send("POST", "/accounts", "{\"accountId\": \"retry\", \"owner\": \"Rae\"}", Map.of());
        Map<String, String> key = Map.of("Idempotency-Key", "pay-rae-1");

        HttpResponse<String> first = send("POST", "/accounts/retry/deposits?amount=30", null, key);
        HttpResponse<String> retry = send("POST", "/accounts/retry/deposits?amount=30", null, key);

        assertThat(retry.body()).isEqualTo(first.body());
        HttpResponse<String> read = send("GET", "/accounts/retry?offset=" + first.body(), null, Map.of());
        assertThat(JSON.readTree(read.body()).get("balance").asLong()).isEqualTo(30);
    }

    private HttpResponse<String> send(String method, String path, String json, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether {@code actual} has everything {@code expected} has: the fields of objects, and equal values. */
    private static boolean contains(JsonNode actual, JsonNode expected) {
        if (expected.isObject()) {
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                JsonNode value = actual.get(field.getKey());
                if (value == null || !contains(value, field.getValue())) {
                    return false;
                }
            }
            return actual.isObject();
        }
        return actual.equals(expected) || (actual.isNumber() && expected.isNumber()
                && actual.asString().equals(expected.asString()));
    }

    /** The curl commands of the page's session, each followed by a comment with the JSON it answers. */
    private List<Step> session() throws IOException {
        List<Step> steps = new ArrayList<>();
        String curl = null;
        for (String line : blocks(Files.readString(PAGE), "shell").get(0).split("\n")) {
            if (line.startsWith("curl ")) {
                curl = line;
            } else if (line.startsWith("# ") && curl != null) {
                steps.add(new Step(curl, request(curl), JSON.readTree(line.substring(2))));
                curl = null;
            }
        }
        return steps;
    }

    /** Reads the subset of curl the page uses: -s, -X, -H and -d, with single-quoted arguments. */
    private HttpRequest request(String curl) {
        List<String> words = words(curl);
        String method = "GET";
        String body = null;
        String url = null;
        HttpRequest.Builder request = HttpRequest.newBuilder();
        for (int i = 1; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-s" -> { }
                case "-X" -> method = words.get(++i);
                case "-H" -> {
                    String[] header = words.get(++i).split(": ", 2);
                    request.header(header[0], header[1]);
                }
                case "-d" -> body = words.get(++i);
                default -> url = words.get(i);
            }
        }
        assertThat(url).as("the URL of %s", curl).startsWith("localhost:8080/");
        return request.uri(URI.create("http://localhost:" + port + url.substring("localhost:8080".length())))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /** The contents of the page's fenced blocks of a language. */
    private static List<String> blocks(String page, String language) {
        List<String> blocks = new ArrayList<>();
        String fence = "```" + language + "\n";
        for (int start = page.indexOf(fence); start >= 0; start = page.indexOf(fence, start + 1)) {
            int from = start + fence.length();
            blocks.add(page.substring(from, page.indexOf("```", from)));
        }
        return blocks;
    }

    /** The text with every run of white space as one space, so that only the code counts. */
    private static String squeezed(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private record Step(String curl, HttpRequest request, JsonNode expected) {
    }
}
