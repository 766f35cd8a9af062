package dev.kappa.boot.autoconfigure.actuate;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.ProjectionStatus;

/**
 * {@code /actuator/kappa}: the log's head and every projection's status, checkpoint, lag, rate and rebuild progress.
 * Its write operations reset, rebuild or restart a projection:
 * {@code POST /actuator/kappa/{projection}/reset} (optionally {@code ?offset=N}), {@code .../rebuild},
 * {@code .../restart}. Like Spring Boot's own sensitive endpoints, it is read-only until the application opts in
 * with {@code management.endpoint.kappa.access=unrestricted}.
 */
@Endpoint(id = "kappa", defaultAccess = Access.READ_ONLY)
public class KappaEndpoint {

    private final EventReader log;
    private final ProjectionRuntime projections;

    public KappaEndpoint(EventReader log, ProjectionRuntime projections) {
        this.log = log;
        this.projections = projections;
    }

    /** The log's head and all projections; while the database does not answer, what is known without it. */
    @ReadOperation
    public KappaReport report() {
        List<ProjectionStatus> statuses = projections.status();
        if (statuses.stream().anyMatch(status -> status.outage().isPresent())) {
            // the workers wait for the database already: asking it for the head would only wait as long again
            return new KappaReport(null, statuses, "the database does not answer; projections show what this"
                    + " instance knows");
        }
        try {
            return new KappaReport(log.head(), statuses, null);
        } catch (EventStoreException e) {
            return new KappaReport(null, statuses, e.getMessage());
        }
    }

    /** One projection; none (a 404) if there is no projection of that name. */
    @ReadOperation
    public @Nullable ProjectionStatus projection(@Selector String name) {
        return known(name) ? projections.status(name) : null;
    }

    /**
     * Resets, rebuilds or restarts a projection.
     *
     * @param name   the projection
     * @param action {@code reset} (to {@code offset}, 0 by default: replay the whole log), {@code rebuild}
     *               (blue-green) or {@code restart} (after a failure)
     * @param offset for a reset, the offset to reset to
     * @return the projection's status afterwards
     */
    @WriteOperation
    public ProjectionStatus operate(@Selector String name, @Selector String action, @Nullable Long offset) {
        if (!known(name)) {
            throw new InvalidEndpointRequestException("there is no projection '" + name + "'; there are "
                    + projections.status().stream().map(ProjectionStatus::name).toList(), "no such projection");
        }
        try {
            switch (action) {
                case "reset" -> projections.reset(name, offset == null ? 0 : offset);
                case "rebuild" -> projections.rebuild(name);
                case "restart" -> projections.restart(name);
                default -> throw new InvalidEndpointRequestException("unknown action '" + action + "' for projection '"
                        + name + "': use reset (with an optional offset), rebuild or restart", "unknown action");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a negative offset, a rebuild of a projection without tables: the request is wrong, not the server
            throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
        }
        return projections.status(name);
    }

    private boolean known(String name) {
        return projections.status().stream().anyMatch(status -> status.name().equals(name));
    }

    /**
     * What the endpoint reports.
     *
     * @param head        the highest offset in the log; null while the database does not answer
     * @param projections every projection's status
     * @param store       why the log could not be read, while the database does not answer; else null
     */
    public record KappaReport(@Nullable Long head, List<ProjectionStatus> projections, @Nullable String store) {
    }
}
