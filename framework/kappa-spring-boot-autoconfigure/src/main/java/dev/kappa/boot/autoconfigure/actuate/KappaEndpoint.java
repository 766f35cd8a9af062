package dev.kappa.boot.autoconfigure.actuate;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.MimeType;

import dev.kappa.eventstore.EventReader;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.ProjectionStatus;

/**
 * {@code /actuator/kappa}: the log's head and every projection's status, checkpoint, lag, rate and rebuild progress.
 * Its write operations reset, rebuild or restart a projection:
 * {@code POST /actuator/kappa/{projection}/reset} (optionally {@code ?offset=N}), {@code .../rebuild},
 * {@code .../restart}. An operation the projection refuses (a reset to an offset it cannot go back to, say) answers
 * a 400 problem whose detail says what to do instead. Like Spring Boot's own sensitive endpoints, it is read-only
 * until the application opts in with {@code management.endpoint.kappa.access=unrestricted}.
 */
@Endpoint(id = "kappa", defaultAccess = Access.READ_ONLY)
public class KappaEndpoint {

    private static final MimeType PROBLEM = MimeType.valueOf("application/problem+json");

    private final EventReader log;
    private final ProjectionRuntime projections;

    public KappaEndpoint(EventReader log, ProjectionRuntime projections) {
        this.log = log;
        this.projections = projections;
    }

    /** The log's head and all projections. */
    @ReadOperation
    public KappaReport report() {
        return new KappaReport(log.head(), projections.status());
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
     * @return the projection's status afterwards; or, when the projection refuses the operation (a reset to an
     *         offset it cannot go back to, a rebuild of a projection without tables), a 400 problem saying why and
     *         what to do instead
     */
    @WriteOperation
    public WebEndpointResponse<Object> operate(@Selector String name, @Selector String action,
                                               @Nullable Long offset) {
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
            // a reset the projection cannot go back for, a negative offset, a rebuild of a projection without tables:
            // the request is wrong, not the server. The message says what to do instead, so it goes in the body,
            // which Spring Boot's error page would leave out
            return new WebEndpointResponse<>(new Refusal("cannot " + action + " projection '" + name + "'",
                    WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage()), WebEndpointResponse.STATUS_BAD_REQUEST,
                    PROBLEM);
        }
        return new WebEndpointResponse<>(projections.status(name));
    }

    private boolean known(String name) {
        return projections.status().stream().anyMatch(status -> status.name().equals(name));
    }

    /**
     * What the endpoint reports.
     *
     * @param head        the highest offset in the log
     * @param projections every projection's status
     */
    public record KappaReport(long head, List<ProjectionStatus> projections) {
    }

    /**
     * An operation the projection refused, as an RFC 9457 problem.
     *
     * @param title  what was refused
     * @param status the HTTP status
     * @param detail why, and what to do instead
     */
    public record Refusal(String title, int status, String detail) {
    }
}
