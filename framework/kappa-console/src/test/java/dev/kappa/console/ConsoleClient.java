package dev.kappa.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.console.sample.ConsoleTestApplication;

/** The console over HTTP, as a browser would use it: anonymously or with a user's basic credentials. */
final class ConsoleClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    ConsoleClient(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
        return http.send(request(path, user).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json, String user) throws IOException, InterruptedException {
        return post(path, "application/json", json, user);
    }

    HttpResponse<String> post(String path, String contentType, String body, String user)
            throws IOException, InterruptedException {
        return http.send(request(path, user).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<Stream<String>> stream(String path, String user) throws IOException, InterruptedException {
        return http.send(request(path, user).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
    }

    /** The state as {@code user} (or nobody, if null) sees it. */
    JsonNode state(String user) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/kappa/state", user);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /kappa/state answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (user != null) {
            String credentials = user + ":" + ConsoleTestApplication.PASSWORD;
            builder.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }
}
