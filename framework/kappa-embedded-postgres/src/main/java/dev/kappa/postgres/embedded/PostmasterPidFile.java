package dev.kappa.postgres.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The lock file {@code postmaster.pid} that a running PostgreSQL keeps in its data directory; its first line is the
 * postmaster's process id. PostgreSQL removes it when it stops cleanly, so finding it means a server runs there, or
 * one ended without stopping (killed, or the machine lost power).
 *
 * @param file the file
 * @param pid  the process id it names
 */
record PostmasterPidFile(Path file, long pid) {

    static final String NAME = "postmaster.pid";

    /**
     * Reads the lock file of a data directory.
     *
     * @return the file, or empty when there is none
     * @throws IllegalStateException when the file does not start with a process id
     */
    static Optional<PostmasterPidFile> read(Path dataDirectory) {
        Path file = dataDirectory.resolve(NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
        String first = lines.isEmpty() ? "" : lines.get(0).trim();
        try {
            long pid = Long.parseLong(first);
            if (pid > 0) {
                return Optional.of(new PostmasterPidFile(file, pid));
            }
        } catch (NumberFormatException e) {
            // reported below with what to do
        }
        throw new IllegalStateException(file + " does not name a process (its first line is '" + first + "'):"
                + " a PostgreSQL may be starting in " + dataDirectory + ", or one crashed while starting. If no"
                + " PostgreSQL uses that directory, delete " + file + " and start again.");
    }
}
