package dev.kappa.kafka.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka's own server ({@code kafka.Kafka}) in a child JVM: one node in KRaft combined mode (broker and
 * controller), with settings for one node (replication factors 1, transaction state log min ISR 1, no initial
 * rebalance delay), on a log directory formatted by Kafka's storage tool when the process is created. Unlike a broker
 * in the test's own JVM, it can be killed with SIGKILL, stopped with SIGTERM and restarted on the same directory and
 * port, and it does not share the test's heap or garbage collector.
 *
 * <pre>{@code
 * try (KafkaServerProcess kafka = KafkaServerProcess.builder(Path.of("target/kafka")).build()) {
 *     kafka.start();
 *     ... kafka.bootstrapServers() ...
 *     kafka.stop();
 *     kafka.restart();
 * }
 * }</pre>
 *
 * <p>The child's standard output and error go to {@link #logFile()} (appended across restarts); a start that fails
 * quotes its last lines. The child halts by itself if the JVM that started it goes away. It runs with the class path
 * of this JVM, or, inside a Spring Boot executable jar, through that jar's {@code PropertiesLauncher}.
 *
 * <p>Not thread-safe: one thread drives it.
 */
public final class KafkaServerProcess implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);
    private static final int LOG_LINES_QUOTED = 40;
    private static final String BOOT_LAUNCHED_CLASS_LOADER = "org.springframework.boot.loader.launch.LaunchedClassLoader";
    private static final String BOOT_PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private final Path directory;
    private final Path dataDirectory;
    private final Path configFile;
    private final Path logFile;
    private final int port;
    private final List<String> jvmOptions;
    private Process process;

    private KafkaServerProcess(Builder builder) {
        this.directory = builder.directory.toAbsolutePath();
        this.dataDirectory = directory.resolve("data");
        this.configFile = directory.resolve("server.properties");
        this.logFile = directory.resolve("server.log");
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.port = freePort();
        int controllerPort = freePort();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", "1");
        settings.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        settings.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        settings.put("log.dirs", dataDirectory.toString());
        settings.put("num.partitions", "1");
        settings.put("default.replication.factor", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "4");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "4");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "4");
        settings.put("num.recovery.threads.per.data.dir", "1");
        settings.put("log.cleaner.threads", "1");
        // the cleaner's default 128 MB would take a third of the small heap
        settings.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
        settings.putAll(builder.settings);
        try {
            Files.createDirectories(directory);
            deleteRecursively(dataDirectory);
            Properties properties = new Properties();
            properties.putAll(settings);
            try (Writer writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                properties.store(writer, "KafkaServerProcess: one node, KRaft combined mode");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka server's directory " + directory, e);
        }
        format();
    }

    /** A builder for a server whose files (configuration, data, log) live in {@code directory}. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** {@code host:port} of the broker, for {@code bootstrap.servers}; the same across restarts. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The file the child's standard output and error are appended to. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the child process is alive. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The child's process id; throws if it is not running. */
    public long pid() {
        requireRunning("pid");
        return process.pid();
    }

    /**
     * Starts the server and returns once a broker answers a cluster description.
     *
     * @throws IllegalStateException if it is already running, exits while starting or does not answer within 90 s
     *                               (the message quotes the end of its log)
     */
    public void start() {
        if (isRunning()) {
            throw new IllegalStateException("the Kafka server (pid " + process.pid() + ") is already running; stop or"
                    + " kill it before starting it again");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        if (launchedFromBootJar()) {
            command.add("-Dloader.main=" + KafkaServerProcessMain.class.getName());
            command.add(BOOT_PROPERTIES_LAUNCHER);
        } else {
            command.add(KafkaServerProcessMain.class.getName());
        }
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(configFile.toString());
        try {
            Files.writeString(logFile, "=== KafkaServerProcess: starting at " + Instant.now() + ": "
                    + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka server's JVM: " + command, e);
        }
        awaitBroker();
    }

    /** Stops the server with SIGTERM (Kafka's orderly shutdown) and waits for the process to end. */
    public void stop() {
        requireRunning("stop");
        process.destroy();
        awaitExit("stop");
    }

    /** Kills the server with SIGKILL: no shutdown, as in a crash; waits for the process to end. */
    public void kill() {
        requireRunning("kill");
        process.destroyForcibly();
        awaitExit("kill");
    }

    /** Stops the server if it runs, then starts it again on the same directory and port. */
    public void restart() {
        if (isRunning()) {
            stop();
        }
        start();
    }

    /** Kills the server if it runs and deletes its data, keeping the log file. */
    @Override
    public void close() {
        if (isRunning()) {
            kill();
        }
        deleteRecursively(dataDirectory);
    }

    @Override
    public String toString() {
        return "KafkaServerProcess[" + bootstrapServers() + ", " + directory + (isRunning() ? ", pid " + process.pid()
                : ", not running") + "]";
    }

    /** Formats the data directory with Kafka's storage tool, run in this JVM, as {@code kafka-storage.sh format} does. */
    private void format() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = kafka.tools.StorageTool.execute(new String[] {"format", "--cluster-id",
                    Uuid.randomUuid().toString(), "--config", configFile.toString()}, out);
        }
        if (status != 0) {
            throw new IllegalStateException("Kafka's storage tool could not format " + dataDirectory + " (status "
                    + status + "): " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitBroker() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        // first the port, quietly: an admin client logs a warning for every refused connection
        while (!listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Kafka server to start", e);
            }
        }
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka server exited with status " + process.exitValue()
                            + " while starting; the end of " + logFile + ":\n" + tail());
                }
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000)).nodes()
                            .get(4, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not listening yet: ask again until the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka server to start", e);
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the Kafka server did not answer on " + bootstrapServers()
                            + " within " + START_LIMIT + "; it was killed. The end of " + logFile + ":\n" + tail());
                }
            }
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitExit(String what) {
        try {
            if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException("the Kafka server did not end within " + STOP_LIMIT + " of a " + what
                        + "; it was killed. The end of " + logFile + ":\n" + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for the Kafka server to end; it was killed", e);
        }
    }

    private void requireRunning(String action) {
        if (!isRunning()) {
            throw new IllegalStateException("cannot " + action + " the Kafka server on " + bootstrapServers()
                    + ": it is not running");
        }
    }

    private String tail() {
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - LOG_LINES_QUOTED), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read the log: " + e.getMessage() + ")";
        }
    }

    /** Inside a Spring Boot executable jar the class path is the jar alone, whose nested jars only its launcher reads. */
    private static boolean launchedFromBootJar() {
        return KafkaServerProcess.class.getClassLoader().getClass().getName().equals(BOOT_LAUNCHED_CLASS_LOADER);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the Kafka server", e);
        }
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /** Builds a {@link KafkaServerProcess}. Not thread-safe. */
    public static final class Builder {

        private final Path directory;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xms256m", "-Xmx384m",
                "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                // the broker's own INFO lines, whatever the class path's simplelogger.properties says (system
                // properties come first for slf4j-simple)
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showDateTime=true"));

        private Builder(Path directory) {
            if (directory == null) {
                throw new IllegalArgumentException("the Kafka server's directory must not be null");
            }
            this.directory = directory;
        }

        /** A broker setting beyond (or instead of) the one-node defaults, e.g. {@code log.flush.interval.messages}. */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /** A JVM option for the child, after the defaults ({@code -Xms256m -Xmx384m}). */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Prepares the directory (a fresh, formatted data directory) and picks free ports; does not start. */
        public KafkaServerProcess build() {
            return new KafkaServerProcess(this);
        }
    }
}
