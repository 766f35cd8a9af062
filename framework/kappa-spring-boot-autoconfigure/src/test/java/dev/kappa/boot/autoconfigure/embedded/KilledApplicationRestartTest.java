package dev.kappa.boot.autoconfigure.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.kappa.boot.autoconfigure.sample.SampleAccount;
import dev.kappa.boot.autoconfigure.sample.SampleApplication;
import dev.kappa.eventstore.EventStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application on the auto-configured embedded PostgreSQL, killed with SIGKILL together with the processes it
 * started (its server's watchdog among them), starts again on the same data directory with its events there: the
 * server the killed run left running is stopped first.
 */
class KilledApplicationRestartTest {

    @Test
    void anApplicationKilledWithItsWatchdogStartsAgainOnItsDataDirectory(@TempDir Path directory) throws Exception {
        Path data = directory.resolve("postgres");
        Process killed = startKillable(data, directory);
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        try {
            // as a kill -9 of the application's process group does: the server (a session of its own) stays
            killed.descendants().forEach(ProcessHandle::destroyForcibly);
            killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertThat(ProcessHandle.of(postmaster)).as("the server outlived its application").isPresent();

            try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(SampleApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties("kappa.embedded-postgres.data-directory=" + data)
                    .run()) {
                EventStore store = restarted.getBean(EventStore.class);
                assertThat(store.readStream("sample-7", 1)).extracting(record -> store.codec().decode(record))
                        .containsExactly(new SampleAccount.Opened("7", "Ada"));
            }
        } finally {
            killed.destroyForcibly();
            // should the restart have failed, the server the killed run left is not left for the next test
            ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroy);
        }
    }

    private static Process startKillable(Path data, Path directory) throws Exception {
        Path out = directory.resolve("application.out");
        Path log = directory.resolve("application.log");
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                KillableSampleApplication.class.getName(), data.toString())
                .redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (process.isAlive() && System.nanoTime() - deadline < 0) {
            if (Files.readAllLines(out).contains("ready")) {
                return process;
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("the application did not start; its output:\n" + Files.readString(out)
                + Files.readString(log));
    }
}
