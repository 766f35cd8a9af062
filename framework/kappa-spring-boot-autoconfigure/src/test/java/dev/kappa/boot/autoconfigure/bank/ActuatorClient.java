package dev.kappa.boot.autoconfigure.bank;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls the application's actuator over HTTP as an operator's tool would: GETs to read, POSTs of {@code {}} to act. */
final class ActuatorClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    ActuatorClient(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return post(path, "{}");
    }

    /** A POST whose JSON body carries the operation's arguments, as {@code curl -d '{"offset":3}'} sends them. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
