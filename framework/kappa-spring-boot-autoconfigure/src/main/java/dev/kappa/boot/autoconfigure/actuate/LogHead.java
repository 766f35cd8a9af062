package dev.kappa.boot.autoconfigure.actuate;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.projections.ProjectionStatus;

/**
 * The log's head as a report shows it beside the projections' statuses (the actuator endpoint's, the console's): read
 * from the log, unless the statuses already say the database does not answer, or why it could not be read.
 *
 * @param head  the highest offset in the log; null when it could not be read
 * @param error why it could not be read; null when it was
 */
public record LogHead(@Nullable Long head, @Nullable String error) {

    /**
     * Reads the head, unless a projection reports an outage: its workers wait for the database already, and asking it
     * for the head would only wait as long again.
     */
    public static LogHead read(EventReader log, List<ProjectionStatus> statuses) {
        if (statuses.stream().anyMatch(status -> status.outage().isPresent())) {
            return new LogHead(null, "the database does not answer; projections show what this instance knows");
        }
        try {
            return new LogHead(log.head(), null);
        } catch (EventStoreException e) {
            return new LogHead(null, e.getMessage());
        }
    }

    /** Whether the head was read: the database answers. */
    public boolean known() {
        return error == null;
    }
}
