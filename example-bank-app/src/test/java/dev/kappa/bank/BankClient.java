package dev.kappa.bank;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to the bank over HTTP, as a client would; {@link #asOperator()} as the operator. Thread-safe. */
final class BankClient {

    /**
     * The operator's credentials in tests: a test that calls the actuator beyond health's status sets
     * {@code spring.security.user.name=operator}, {@code spring.security.user.password=} this and
     * {@code spring.security.user.roles=OPERATOR} on its application, as application.yml does from the environment.
     */
    static final String OPERATOR_PASSWORD = "test-operator-password";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Far beyond any answer's time: a request that takes this long is a hung server, and fails the test. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PATIENCE).build();
    private final String base;
    private final String authorization;

    BankClient(int port) {
        this("http://localhost:" + port, null);
    }

    private BankClient(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same bank, every request signed in as the operator (HTTP basic; see {@link #OPERATOR_PASSWORD}). */
    BankClient asOperator() {
        return signedInAs("operator", OPERATOR_PASSWORD);
    }

    /** The same bank, every request signed in with these credentials (HTTP basic), right or wrong. */
    BankClient signedInAs(String user, String password) {
        return new BankClient(base, "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A response, its body parsed as JSON (null for an empty body). */
    record Answer(int status, JsonNode body, HttpResponse<String> raw) {

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        long offset() {
            return body.get("offset").asLong();
        }

        /** The body as it came, JSON or not. */
        String text() {
            return raw.body();
        }
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer post(String path, Map<String, ?> body) {
        return post(path, body, null);
    }

    Answer post(String path, Map<String, ?> body, String idempotencyKey) {
        return send(withKey(json(HttpRequest.newBuilder(URI.create(base + path)), "POST", body), idempotencyKey));
    }

    Answer put(String path, Map<String, ?> body) {
        return send(json(HttpRequest.newBuilder(URI.create(base + path)), "PUT", body));
    }

    Answer postRaw(String path, String body) {
        return send("POST", path, "application/json", body, Map.of());
    }

    /** Any request, as a hostile client might send it: the path is used as given, percent-escapes and all. */
    Answer send(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return send(request);
    }

    private static HttpRequest.Builder json(HttpRequest.Builder request, String method, Map<String, ?> body) {
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }

    private static HttpRequest.Builder withKey(HttpRequest.Builder request, String idempotencyKey) {
        return idempotencyKey == null ? request : request.header("Idempotency-Key", idempotencyKey);
    }

    /** The body as JSON, or null if it is something else (an HTML error page, say). */
    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private Answer send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(PATIENCE).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? null : parse(response.body());
            return new Answer(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new IllegalStateException("the bank did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
