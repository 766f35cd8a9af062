package dev.kappa.postgres.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small shell process, started beside the server, that stops the postmaster when the JVM that started it is gone,
 * however it went ({@code kill -9} included, which runs no shutdown hook).
 *
 * <p>It waits for the end of its standard input, a pipe whose only writer is this JVM: the operating system closes
 * the pipe when the JVM's process ends, at once and whatever ended it, so no polling and no process id that could
 * be reused is involved. It then asks the postmaster for a fast shutdown, if the data directory's lock file still
 * names that postmaster, and removes a temporary data directory once PostgreSQL has left it. It ignores the
 * terminal's interrupt and hang-up signals, which reach the whole process group: the JVM handles those itself, and
 * closes the server, and with it the watchdog, in order.
 *
 * <p>It needs a POSIX shell ({@code sh}); without one (on Windows) there is no watchdog, and a server left running
 * is stopped by the next start on its data directory instead.
 *
 * <p>This class is thread-safe.
 */
final class PostmasterWatchdog {

    // $1 data directory, $2 postmaster pid, $3 whether to remove the directory after PostgreSQL has left it
    // its first line is what `ps` shows first
    private static final String SCRIPT = """
            # Kappa: stops the embedded PostgreSQL on $1 once the JVM that started it is gone
            trap '' INT HUP QUIT
            while read -r ignored; do :; done
            pid=
            if [ -e "$1/postmaster.pid" ]; then read -r pid < "$1/postmaster.pid"; fi
            if [ "$pid" = "$2" ]; then kill -s INT "$2"; fi
            if [ "$3" = remove ]; then
              i=0
              while [ -e "$1/postmaster.pid" ] && [ "$i" -lt 300 ]; do sleep 1; i=$((i + 1)); done
              if [ ! -e "$1/postmaster.pid" ]; then rm -rf -- "$1"; fi
            fi
            """;
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win");
    private static final Logger log = LoggerFactory.getLogger(PostmasterWatchdog.class);
    // the pipe must stay open while the server runs, even if the application drops the server without closing it
    private static final Set<Process> WATCHING = ConcurrentHashMap.newKeySet();

    private final Process process;

    private PostmasterWatchdog(Process process) {
        this.process = process;
    }

    /**
     * Starts a watchdog for the postmaster running on a data directory.
     *
     * @param removeDirectory whether the directory is temporary, to be removed once PostgreSQL has left it
     * @return the watchdog, or empty when none could be started (a warning says why)
     */
    static Optional<PostmasterWatchdog> watch(Path dataDirectory, long postmasterPid, boolean removeDirectory) {
        if (WINDOWS) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder("sh", "-c", SCRIPT, "kappa-postgres-watchdog",
                    dataDirectory.toString(), Long.toString(postmasterPid), removeDirectory ? "remove" : "keep")
                    // output must not go to a pipe: once the JVM is gone, a write to it would kill the watchdog
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            WATCHING.add(process);
            return Optional.of(new PostmasterWatchdog(process));
        } catch (IOException e) {
            log.warn("Could not start the watchdog that stops the embedded PostgreSQL on {} if this application is"
                    + " killed ({}); a server left running is stopped by the next start instead",
                    dataDirectory, e.getMessage());
            return Optional.empty();
        }
    }

    /** Ends the watchdog without touching the server; call before stopping the server in order. */
    void cancel() {
        WATCHING.remove(process);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
