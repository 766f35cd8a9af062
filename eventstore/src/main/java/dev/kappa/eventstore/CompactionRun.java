package dev.kappa.eventstore;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The last compaction run that did its work, wherever in the fleet it ran: when it finished, how long it took and what
 * it removed. Kept in the database, so that every instance (and an operator console) sees the same one.
 *
 * @param finishedAt when it finished
 * @param took       how long it ran
 * @param result     what it removed, and how far the log is compacted
 * @param instanceId which instance ran it: the PostgreSQL {@code application_name} of its connections if they set one
 *                   (the JDBC URL's {@code ApplicationName}), else its JVM's "pid@host"; an empty string if not known
 */
public record CompactionRun(Instant finishedAt, Duration took, CompactionResult result, String instanceId) {

    public CompactionRun {
        Objects.requireNonNull(finishedAt, "finishedAt must not be null");
        Objects.requireNonNull(took, "took must not be null");
        Objects.requireNonNull(result, "result must not be null");
        instanceId = instanceId == null ? "" : instanceId;
    }
}
