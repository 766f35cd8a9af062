package dev.kappa.bank;

import java.util.List;
import java.util.Map;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kappa.bank.BankClient.Answer;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sweep of hostile and careless requests: each is refused with a 4xx RFC 9457 problem whose {@code type} names the
 * rule and whose {@code detail} names what was wrong, never a 5xx, and nothing is written.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileRequestsTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final String JSON = "application/json";
    private static final String DEPOSIT = "{\"amount\": 100, \"currency\": \"EUR\"}";

    @LocalServerPort
    int port;

    private BankClient bank;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @BeforeEach
    void client() {
        bank = new BankClient(port);
        Answer opened = bank.post("/accounts", Map.of("accountId", "target", "owner", "Tia", "currency", "EUR"));
        assertThat(opened.status()).isIn(201, 409);
    }

    /**
     * One hostile request and what it must answer.
     *
     * @param mentions what the problem's detail must name: the field, parameter or header at fault
     */
    private record Hostile(String name, String method, String path, String contentType, String body,
                           Map<String, String> headers, int status, String type, String mentions) {

        static Hostile post(String name, String path, String contentType, String body, int status, String type,
                            String mentions) {
            return new Hostile(name, "POST", path, contentType, body, Map.of(), status, type, mentions);
        }

        static Hostile get(String name, String path, Map<String, String> headers, int status, String type,
                           String mentions) {
            return new Hostile(name, "GET", path, null, null, headers, status, type, mentions);
        }
    }

    @Test
    void everyHostileRequestIsAClientErrorProblemThatNamesWhatWasWrong() {
        String longId = "a".repeat(201);
        List<Hostile> sweep = List.of(
                // the media type
                Hostile.post("multipart body without a boundary", "/accounts", "multipart/form-data", "{}", 400,
                        "invalid-request", "multipart"),
                Hostile.post("multipart body with a boundary", "/accounts", "multipart/form-data; boundary=x",
                        "--x\r\nContent-Disposition: form-data; name=\"owner\"\r\n\r\nAnn\r\n--x--\r\n", 415,
                        "unsupported-media-type", "application/json"),
                Hostile.post("wildcard content type", "/accounts/target/deposits", "*/*", DEPOSIT, 415,
                        "unsupported-media-type", "application/json"),
                Hostile.post("no content type", "/accounts/target/deposits", null, DEPOSIT, 415,
                        "unsupported-media-type", "application/json"),
                Hostile.post("a content type that is no media type", "/accounts/target/deposits", "nonsense", DEPOSIT,
                        415, "unsupported-media-type", "application/json"),
                Hostile.post("an unknown charset", "/accounts/target/deposits", "application/json; charset=klingon",
                        DEPOSIT, 415, "unsupported-media-type", "charset"),
                // ids in the path
                Hostile.post("a path id over 200 characters", "/accounts/" + longId + "/deposits", JSON, DEPOSIT,
                        400, "invalid-request", "accountId"),
                // the security firewall refuses these before a handler sees them, so the detail names the path
                Hostile.post("CR/LF in a path id", "/accounts/ta%0d%0arget/deposits", JSON, DEPOSIT, 400,
                        "invalid-request", "path"),
                Hostile.post("CR/LF in the path id of a command without a body", "/accounts/tar%0d%0aget/freeze", null,
                        null, 400,
                        "invalid-request", "path"),
                new Hostile("CR/LF in a customer id", "PUT", "/customers/c%0d%0a1", JSON,
                        "{\"name\": \"Cy\", \"email\": \"cy@example.com\"}", Map.of(), 400, "invalid-request",
                        "path"),
                new Hostile("a customer id over 200 characters", "DELETE", "/customers/" + longId, null, null,
                        Map.of(), 400, "invalid-request", "customerId"),
                Hostile.get("CR/LF in a transfer id", "/transfers/t%0d%0a1", Map.of(), 400, "invalid-request",
                        "path"),
                // what the body holds
                Hostile.post("U+0000 inside a string field", "/accounts", JSON,
                        "{\"owner\": \"A\\u0000B\", \"currency\": \"EUR\"}", 400, "invalid-request", "owner"),
                new Hostile("U+0000 inside a profile", "PUT", "/customers/c-1", JSON,
                        "{\"name\": \"C\\u0000\", \"email\": \"c@example.com\"}", Map.of(), 400, "invalid-request",
                        "name"),
                Hostile.post("malformed JSON", "/accounts", JSON, "{\"owner\":", 400, "invalid-request", "JSON"),
                Hostile.post("a JSON array for an object", "/accounts/target/deposits", JSON, "[1, 2]", 400,
                        "invalid-request", "JSON object"),
                Hostile.post("no body", "/accounts/target/deposits", JSON, "", 400, "invalid-request", "body"),
                Hostile.post("cents as a fraction", "/accounts/target/deposits", JSON,
                        "{\"amount\": 1.5, \"currency\": \"EUR\"}", 400, "invalid-request", "amount"),
                Hostile.post("cents as a string", "/accounts/target/deposits", JSON,
                        "{\"amount\": \"100\", \"currency\": \"EUR\"}", 400, "invalid-request", "amount"),
                Hostile.post("cents as a word", "/accounts/target/deposits", JSON,
                        "{\"amount\": \"lots\", \"currency\": \"EUR\"}", 400, "invalid-request", "amount"),
                Hostile.post("cents beyond a long", "/accounts/target/deposits", JSON,
                        "{\"amount\": 99999999999999999999, \"currency\": \"EUR\"}", 400, "invalid-request",
                        "amount"),
                Hostile.post("a number for a currency", "/accounts/target/deposits", JSON,
                        "{\"amount\": 100, \"currency\": 978}", 400, "invalid-request", "currency"),
                Hostile.post("no amount", "/accounts/target/deposits", JSON, "{\"currency\": \"EUR\"}", 400,
                        "invalid-request", "amount"),
                Hostile.post("a null amount", "/transfers", JSON,
                        "{\"from\": \"target\", \"to\": \"x\", \"amount\": null, \"currency\": \"EUR\"}", 400,
                        "invalid-request", "amount"),
                // parameters and headers
                Hostile.get("a negative offset", "/accounts/target?offset=-1", Map.of(), 400, "invalid-request",
                        "offset"),
                Hostile.get("a non-decimal offset", "/accounts?offset=0x10", Map.of(), 400, "invalid-request",
                        "offset"),
                Hostile.get("a fractional offset header", "/transfers/any", Map.of("Kappa-Offset", "1.5"), 400,
                        "invalid-request", "Kappa-Offset"),
                Hostile.get("an offset beyond a long", "/customers/any?offset=99999999999999999999", Map.of(), 400,
                        "invalid-request", "offset"),
                Hostile.get("a page size that is not a number", "/accounts?size=many", Map.of(), 400,
                        "invalid-request", "size"),
                Hostile.get("a negative page", "/accounts?page=-1", Map.of(), 400, "invalid-request", "page"),
                new Hostile("an idempotency key over 100 characters", "POST", "/accounts/target/deposits", JSON,
                        DEPOSIT, Map.of("Idempotency-Key", "k".repeat(101)), 400, "invalid-request",
                        "Idempotency-Key"),
                new Hostile("two idempotency keys in one header", "POST", "/accounts/target/deposits", JSON,
                        DEPOSIT, Map.of("Idempotency-Key", "k-1,k-2"), 400, "invalid-request", "Idempotency-Key"),
                Hostile.post("a key given twice in one object", "/accounts/target/deposits", JSON,
                        "{\"amount\": 1, \"amount\": 2, \"currency\": \"EUR\"}", 400, "invalid-request", "amount"),
                Hostile.post("half a surrogate pair in a string field", "/accounts", JSON,
                        "{\"accountId\": \"sur1\", \"owner\": \"a\\ud800b\", \"currency\": \"EUR\"}", 400,
                        "invalid-request", "owner"),
                // what Tomcat refuses before Spring sees the request
                Hostile.get("an encoded NUL in the path", "/accounts/ab%00cd", Map.of(), 400, "invalid-request",
                        "cannot be read"),
                Hostile.get("an encoded slash in the path", "/accounts/a%2fb", Map.of(), 400, "invalid-request",
                        "cannot be read"),
                Hostile.get("an encoded backslash in the path", "/accounts/a%5cb", Map.of(), 400, "invalid-request",
                        "cannot be read"),
                Hostile.get("encoded slashes climbing out of the path", "/accounts/..%2f..%2factuator", Map.of(), 400,
                        "invalid-request", "cannot be read"),
                Hostile.get("a header over 8 KB", "/accounts/target", Map.of("X-Padding", "p".repeat(10_000)), 400,
                        "invalid-request", "cannot be read"),
                // the HTTP method and the resource
                new Hostile("a method the resource does not take", "DELETE", "/accounts", null, null, Map.of(), 405,
                        "method-not-allowed", "DELETE"),
                Hostile.get("a resource that does not exist", "/nowhere", Map.of(), 404, "not-found", "nowhere"));

        SoftAssertions softly = new SoftAssertions();
        for (Hostile hostile : sweep) {
            Answer answer = bank.send(hostile.method(), hostile.path(), hostile.contentType(), hostile.body(),
                    hostile.headers());
            String what = hostile.name() + " answered " + answer.status() + " " + answer.raw().body();
            softly.assertThat(answer.status()).as(what).isEqualTo(hostile.status());
            softly.assertThat(answer.header("Content-Type")).as(what).startsWith("application/problem+json");
            if (answer.body() != null) {
                softly.assertThat(answer.body().path("type").asString()).as(what)
                        .isEqualTo("https://kappa.dev/problems/" + hostile.type());
                softly.assertThat(answer.body().path("detail").asString()).as(what).contains(hostile.mentions());
            }
        }
        softly.assertAll();

        assertThat(bank.get("/accounts/target").body().get("balance").asLong()).as("nothing was deposited").isZero();
    }

    @Test
    void aBodyAboveTheLimitIsRefusedWith413() {
        String owner = "x".repeat(1536 * 1024);

        Answer answer = bank.postRaw("/accounts", "{\"owner\": \"" + owner + "\", \"currency\": \"EUR\"}");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body().get("type").asString()).isEqualTo("https://kappa.dev/problems/content-too-large");
        assertThat(answer.body().get("detail").asString()).contains("1MB").contains("kappa.web.body-limit.max-size");
    }
}
