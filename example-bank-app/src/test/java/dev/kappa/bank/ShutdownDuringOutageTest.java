package dev.kappa.bank;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kappa.postgres.embedded.junit.RestartableDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM stops the bank within seconds while its database is away, with requests, workers, subscriptions and the
 * log's writer all waiting for it: the bank runs in a JVM of its own, as in production, and the test signals it.
 */
class ShutdownDuringOutageTest {

    /**
     * About 15 s, with some more for a loaded machine; it stops in about 7 s here. Before the fix it did not stop
     * within 120 s.
     */
    private static final Duration STOPS_WITHIN = Duration.ofSeconds(20);
    private static final Duration START_PATIENCE = Duration.ofMinutes(3);
    private static final Pattern RUNNING_AT = Pattern.compile("Kappa bank is running at http://localhost:(\\d+)");

    @TempDir
    Path directory;

    @Test
    void sigtermStopsTheApplicationWithinSecondsWhileItsDatabaseIsAway() throws Exception {
        try (RestartableDatabase database = RestartableDatabase.start(directory.resolve("pgdata"))) {
            Process bank = startBank(database);
            List<String> output = new CopyOnWriteArrayList<>();
            Thread reader = follow(bank, output);
            try {
                int port = await().atMost(START_PATIENCE).until(() -> port(output, bank), p -> p > 0);
                BankClient client = new BankClient(port);
                assertThat(client.post("/accounts", Map.of("accountId", "ann", "owner", "Ann", "currency", "EUR"))
                        .status()).isEqualTo(201);

                database.stop();
                // requests in flight when the signal comes: graceful shutdown waits for them
                CompletableFuture.runAsync(() -> client.post("/accounts/ann/deposits",
                        Map.of("amount", 1, "currency", "EUR")));
                CompletableFuture.runAsync(() -> client.get("/accounts"));
                await().atMost(START_PATIENCE).until(() -> output.stream()
                        .anyMatch(line -> line.contains("retrying until the database answers")));

                long signalled = System.nanoTime();
                bank.destroy();
                boolean stopped = bank.waitFor(STOPS_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
                Duration took = Duration.ofNanos(System.nanoTime() - signalled);

                assertThat(stopped).as("the bank stopped within %s of SIGTERM; its last lines:%n%s", STOPS_WITHIN,
                        String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()))).isTrue();
                assertThat(took).isLessThan(STOPS_WITHIN);
            } finally {
                if (bank.isAlive()) {
                    bank.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                reader.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    /** The bank in a JVM of its own, on the test's class path, pointed at {@code database}. */
    private static Process startBank(RestartableDatabase database) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                BankApplication.class.getName(), "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=postgres")
                .redirectErrorStream(true)
                .start();
    }

    private static Thread follow(Process process, List<String> output) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                // the process is gone
            }
        }, "bank-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private static int port(List<String> output, Process bank) {
        if (!bank.isAlive()) {
            throw new IllegalStateException("the bank ended with exit code " + bank.exitValue() + ":\n"
                    + String.join("\n", output));
        }
        for (String line : output) {
            Matcher matcher = RUNNING_AT.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        return 0;
    }
}
