package dev.kappa.postgres.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application killed with {@code kill -9} runs no shutdown hook, so its embedded PostgreSQL is not stopped in
 * order: the next start on the same data directory must still succeed, promptly, with the data there; and what is not
 * ours must be refused at once. The applications are real JVMs ({@link KillableApplication}) killed with SIGKILL.
 */
class KilledApplicationTest {

    // generous: the machine is shared; before the fix the next start gave up after 60 s
    private static final Duration PROMPTLY = Duration.ofSeconds(30);

    private final List<Application> applications = new ArrayList<>();

    @TempDir
    Path output;

    @AfterEach
    void killWhatIsLeft() {
        for (Application application : applications) {
            application.killWithItsProcesses();
            Postmaster postmaster = new Postmaster(application.postmasterPid);
            if (postmaster.isAlive()) {
                postmaster.stop(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void theNextStartStopsTheServerAKilledApplicationLeftRunningAndKeepsItsData(@TempDir Path directory)
            throws Exception {
        Path data = directory.resolve("postgres");
        Application killed = start(data.toString(), "written before the kill");
        // as a kill -9 of the application's process group does: its watchdog goes too, the server (a session of its
        // own) stays
        killed.killWithItsProcesses();
        assertThat(new Postmaster(killed.postmasterPid).isAlive()).as("the server outlived its application").isTrue();

        long started = System.nanoTime();
        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.builder().dataDirectory(data).start()) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
            assertThat(new Postmaster(killed.postmasterPid).isAlive()).isFalse();
            assertThat(rows(restarted)).containsExactly("written before the kill");
        }
    }

    @Test
    void theWatchdogStopsTheServerOnceItsApplicationIsKilled(@TempDir Path directory) throws Exception {
        Path data = directory.resolve("postgres");
        Application killed = start(data.toString(), "written before the kill");

        killed.process.destroyForcibly();

        await(() -> !new Postmaster(killed.postmasterPid).isAlive(), Duration.ofSeconds(15),
                "the server of the killed application stops");
        // a clean shutdown: PostgreSQL removed its lock file
        assertThat(data.resolve(PostmasterPidFile.NAME)).doesNotExist();
        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.builder().dataDirectory(data).start()) {
            assertThat(rows(restarted)).containsExactly("written before the kill");
        }
    }

    @Test
    void theWatchdogRemovesTheTemporaryDirectoryOfAKilledApplication() throws Exception {
        Application killed = start("temporary", "lost with the directory");
        assertThat(killed.dataDirectory).isDirectory();

        killed.process.destroyForcibly();

        await(() -> !new Postmaster(killed.postmasterPid).isAlive() && !Files.exists(killed.dataDirectory),
                Duration.ofSeconds(15), "the server stops and its temporary directory goes");
    }

    @Test
    void theServerOfARunningApplicationIsRefusedAtOnceAndLeftRunning(@TempDir Path directory) throws Exception {
        Path data = directory.resolve("postgres");
        Application running = start(data.toString(), "written by the running application");

        long started = System.nanoTime();
        assertThatThrownBy(() -> EmbeddedPostgresServer.builder().dataDirectory(data).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(data.toRealPath().toString())
                .hasMessageContaining("pid " + running.postmasterPid)
                .hasMessageContaining("another running application (process " + running.process.pid() + ")")
                .hasMessageContaining("stop that application first");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(running.process.isAlive()).isTrue();
        assertThat(new Postmaster(running.postmasterPid).isAlive()).isTrue();
    }

    @Test
    void aLockFileWhoseProcessIsGoneIsReplacedByPostgres(@TempDir Path directory) throws Exception {
        Path data = directory.resolve("postgres");
        String lockFile;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder().dataDirectory(data).start()) {
            server.createDatabaseIfMissing("bank");
            execute(server, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('kept')");
            lockFile = Files.readString(data.resolve(PostmasterPidFile.NAME));
        }
        // as after a power cut: the lock file of a server whose process is gone. Its own pid may have been taken by
        // another process meanwhile on a busy machine (which the start rightly refuses), so the file names one that no
        // process can have: Linux's pids stay below 2^22, the largest pid_max it allows
        long gone = 1L << 22;
        Files.writeString(data.resolve(PostmasterPidFile.NAME), gone + lockFile.substring(lockFile.indexOf('\n')));

        long started = System.nanoTime();
        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.builder().dataDirectory(data).start()) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
            assertThat(rows(restarted)).containsExactly("kept");
        }
    }

    @Test
    void aLockFileNamingALiveProcessThatIsNoPostgresIsRefusedAtOnce(@TempDir Path directory) throws Exception {
        Path data = directory.resolve("postgres");
        String lockFile;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder().dataDirectory(data).start()) {
            lockFile = Files.readString(data.resolve(PostmasterPidFile.NAME));
        }
        // not this JVM: PostgreSQL itself ignores a lock file naming its grandparent, which this JVM is
        long notPostgres = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(data.resolve(PostmasterPidFile.NAME),
                notPostgres + lockFile.substring(lockFile.indexOf('\n')));

        long started = System.nanoTime();
        assertThatThrownBy(() -> EmbeddedPostgresServer.builder().dataDirectory(data).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(data.toRealPath().toString())
                .hasMessageContaining("process " + notPostgres)
                .hasMessageContaining("not an embedded PostgreSQL")
                .hasMessageContaining("delete " + data.toRealPath().resolve(PostmasterPidFile.NAME));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(ProcessHandle.of(notPostgres)).hasValueSatisfying(process -> assertThat(process.isAlive()).isTrue());
    }

    @Test
    void aSecondServerOfTheSameJvmOnADirectoryInUseIsRefused(@TempDir Path directory) throws Exception {
        Path data = directory.resolve("postgres");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.builder().dataDirectory(data).start()) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.builder().dataDirectory(data).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(data.toRealPath().toString())
                    .hasMessageContaining("already used by another embedded PostgreSQL of this application");
            first.dataSource("postgres").getConnection().close();
        }
        // and free again once closed
        EmbeddedPostgresServer.builder().dataDirectory(data).start().close();
    }

    private Application start(String dataDirectory, String row) throws Exception {
        Path out = Files.createTempFile(output, "application-", ".out");
        Path log = Files.createTempFile(output, "application-", ".log");
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                KillableApplication.class.getName(), dataDirectory, row)
                // files, not pipes: nobody has to keep reading them
                .redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Optional<String> ready = Optional.empty();
        while (ready.isEmpty() && process.isAlive() && System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
            ready = Files.readAllLines(out).stream().filter(line -> line.startsWith("ready ")).findFirst();
        }
        if (ready.isEmpty()) {
            process.destroyForcibly();
            throw new AssertionError("the application did not start; its log:\n" + Files.readString(log));
        }
        String[] parts = ready.get().split(" ", 4);
        Application application = new Application(process, Long.parseLong(parts[2]), Path.of(parts[3]));
        applications.add(application);
        return application;
    }

    private static List<String> rows(EmbeddedPostgresServer server) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = server.dataSource("bank").getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT value FROM kept")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection connection = server.dataSource("bank").getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    /** A running {@link KillableApplication}. */
    private record Application(Process process, long postmasterPid, Path dataDirectory) {

        /** SIGKILL for the application and every process it started that is still its descendant. */
        void killWithItsProcesses() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
