package dev.kappa.eventstore;

import java.time.Instant;
import java.util.Objects;

/**
 * The database has stopped answering a follower of the log (a subscription, a projection worker). The follower keeps
 * trying on its own and resumes where it was when the database answers again; until then this says since when it
 * waits and why its last attempt failed.
 *
 * @param since when the first attempt failed
 * @param error the last attempt's failure, with its causes and SQL states
 */
public record StoreOutage(Instant since, String error) {

    public StoreOutage {
        Objects.requireNonNull(since, "since must not be null");
        Objects.requireNonNull(error, "error must not be null");
    }
}
