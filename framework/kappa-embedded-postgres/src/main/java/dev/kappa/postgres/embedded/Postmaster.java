package dev.kappa.postgres.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process, perhaps a PostgreSQL postmaster, seen from outside: whether it runs, what executable it runs and on which
 * data directory, and how to ask it to stop. The process need not be a child of this JVM.
 *
 * <p>Instances are immutable; the process they name changes under them, so every answer is of the moment.
 */
final class Postmaster {

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win");
    private static final Duration POLL = Duration.ofMillis(50);

    private final long pid;

    Postmaster(long pid) {
        this.pid = pid;
    }

    long pid() {
        return pid;
    }

    /**
     * Whether the process runs. A zombie (ended, not yet reaped by its parent) does not: it holds nothing any more.
     */
    boolean isAlive() {
        return exists() && !isZombie();
    }

    /**
     * Whether the process id is taken, by a running process or a zombie. PostgreSQL asks this of the process its lock
     * file names, and takes a zombie for a running server; an orphaned postmaster's new parent (the init process) may
     * be slow to reap it.
     */
    boolean exists() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private boolean isZombie() {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String line = Files.readString(stat, StandardCharsets.UTF_8);
            // "pid (command) S ...": the command may hold spaces and parentheses, the state follows the last ')'
            int end = line.lastIndexOf(')');
            return end >= 0 && end + 2 < line.length() && line.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux), or the process just went: the handle's answer stands
            return false;
        }
    }

    /** The executable the process runs, when the operating system tells. */
    Optional<Path> executable() {
        return ProcessHandle.of(pid)
                .flatMap(handle -> handle.info().command())
                // Linux shows an executable deleted since it started (a cleaned temporary directory) with a suffix
                .map(command -> command.endsWith(" (deleted)")
                        ? command.substring(0, command.length() - " (deleted)".length())
                        : command)
                .map(Path::of);
    }

    /** The data directory the process was started on ({@code -D}), when the operating system shows its arguments. */
    Optional<Path> dataDirectoryArgument() {
        Optional<String[]> arguments = ProcessHandle.of(pid).flatMap(handle -> handle.info().arguments());
        if (arguments.isEmpty()) {
            return Optional.empty();
        }
        List<String> args = List.of(arguments.get());
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-D") && i + 1 < args.size()) {
                return Optional.of(Path.of(args.get(i + 1)));
            }
            if (arg.startsWith("-D") && arg.length() > 2) {
                return Optional.of(Path.of(arg.substring(2)));
            }
        }
        return Optional.empty();
    }

    /** The process's command line as far as the operating system shows it, for messages. */
    String describe() {
        return ProcessHandle.of(pid)
                .map(handle -> handle.info().commandLine().or(() -> handle.info().command()).orElse("(command unknown)"))
                .orElse("(gone)");
    }

    /**
     * Stops the postmaster: a fast shutdown (clients disconnected, a checkpoint, a clean exit), and if that does not
     * end it within {@code timeout}, an immediate one (PostgreSQL recovers from its log at the next start).
     *
     * @return {@code true} if it ended
     */
    boolean stop(Duration timeout) {
        // SIGINT is PostgreSQL's fast shutdown, what `pg_ctl stop -m fast` sends; SIGQUIT its immediate shutdown
        signal("INT");
        if (awaitEnd(timeout)) {
            return true;
        }
        signal("QUIT");
        return awaitEnd(Duration.ofSeconds(10));
    }

    private void signal(String signal) {
        if (WINDOWS) {
            // no signals on Windows: PostgreSQL there takes a terminate as a crash and recovers at the next start
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not signal PostgreSQL (pid " + pid + ") to stop: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling PostgreSQL (pid " + pid + ") to stop", e);
        }
    }

    private boolean awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for PostgreSQL (pid " + pid + ") to stop", e);
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Postmaster[pid=" + pid + "]";
    }
}
