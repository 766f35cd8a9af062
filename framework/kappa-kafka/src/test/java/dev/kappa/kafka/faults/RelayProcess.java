package dev.kappa.kafka.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kappa.kafka.relay.RelayTopics;

/** A relay running in a child JVM ({@link RelayProcessMain}), to be killed with SIGKILL. Not thread-safe. */
final class RelayProcess {

    private final Process process;

    private RelayProcess(Process process) {
        this.process = process;
    }

    /** Starts a child relay; its output is appended to {@code logFile}. */
    static RelayProcess start(String jdbcUrl, String bootstrapServers, RelayTopics topics, String transactionalId,
                              Path logFile) {
        String routedTopic = topics.routes().get(LogWriters.ROUTED_PREFIX);
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), RelayProcessMain.class.getName(),
                Long.toString(ProcessHandle.current().pid()), jdbcUrl, bootstrapServers, transactionalId,
                topics.retained(), topics.compacted(), topics.position(), LogWriters.ROUTED_PREFIX, routedTopic);
        try {
            Files.createDirectories(logFile.getParent());
            return new RelayProcess(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the relay's JVM", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits for the process to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the relay's JVM (pid " + process.pid() + ") did not die within 30 s of"
                    + " SIGKILL");
        }
    }
}
