package dev.kappa.boot.autoconfigure.actuate;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonRawValue;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.util.MimeType;

import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.ProjectionStatus;

/**
 * {@code /actuator/kappa}: the log's head and every projection's status, checkpoint, lag, rate and rebuild progress;
 * {@code /actuator/kappa/{projection}/dead-letters}: the events a projection moved past, with payload, error and
 * decision. Its write operations reset, rebuild or restart a projection, skip the event a stopped one failed on, or
 * replay a dead letter: {@code POST /actuator/kappa/{projection}/reset} (optionally {@code ?offset=N}),
 * {@code .../rebuild}, {@code .../restart}, {@code .../skip?offset=N} (optionally {@code &note=why}),
 * {@code .../replay?offset=N}. Like Spring Boot's own sensitive endpoints, it is read-only until the application opts
 * in with {@code management.endpoint.kappa.access=unrestricted}. An operation the projection refuses (a reset to an
 * offset it cannot go back to, say) answers a 400 problem whose detail says what to do instead.
 */
@Endpoint(id = "kappa", defaultAccess = Access.READ_ONLY)
public class KappaEndpoint {

    private static final String DEAD_LETTERS = "dead-letters";
    private static final MimeType PROBLEM = MimeType.valueOf("application/problem+json");

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
     * A projection's dead letters, in the order they were decided; none (a 404) if there is no projection of that
     * name or {@code what} is not {@code dead-letters}.
     */
    @ReadOperation
    public @Nullable List<DeadLetterView> deadLetters(@Selector String name, @Selector String what) {
        if (!DEAD_LETTERS.equals(what) || !known(name)) {
            return null;
        }
        return projections.deadLetters(name).stream().map(DeadLetterView::of).toList();
    }

    /**
     * Resets, rebuilds or restarts a projection, skips the event it stopped at, or replays a dead letter.
     *
     * @param name     the projection
     * @param action   {@code reset} (to {@code offset}, 0 by default: replay the whole log), {@code rebuild}
     *                 (blue-green), {@code restart} (after a failure), {@code skip} (the event at {@code offset}, which
     *                 the projection is stopped at) or {@code replay} (the dead letter at {@code offset})
     * @param offset   for a reset, the offset to reset to; for a skip or a replay, the event's offset
     * @param note     for a skip, why, recorded with the decision
     * @param security who asks: the name recorded with a skip or a replay
     * @return the projection's status afterwards; for a replay, the letters at the offset, with status 409 if the
     *         handler failed again; a
     *         {@link Refusal} (an RFC 9457 problem) with status 400 if the request cannot be carried out
     */
    @WriteOperation
    public Object operate(@Selector String name, @Selector String action, @Nullable Long offset,
                          @Nullable String note, SecurityContext security) {
        if (!known(name)) {
            return Refusal.of("there is no projection '" + name + "'; there are "
                    + projections.status().stream().map(ProjectionStatus::name).toList());
        }
        try {
            switch (action) {
                case "reset" -> projections.reset(name, offset == null ? 0 : offset);
                case "rebuild" -> projections.rebuild(name);
                case "restart" -> projections.restart(name);
                case "skip" -> projections.skip(name, required(offset, name, action), operator(security), note);
                case "replay" -> {
                    return replayed(projections.replay(name, required(offset, name, action), operator(security)));
                }
                default -> {
                    return Refusal.of("unknown action '" + action + "' for projection '" + name + "': use reset (with"
                            + " an optional offset), rebuild, restart, skip or replay (with an offset)");
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a reset the projection cannot go back for, a negative offset, a rebuild of a projection without tables,
            // a skip of a projection that is not stopped there: the request is wrong, not the server. The message
            // says what to do instead, so it goes in the body, which Spring Boot's error page would leave out
            return Refusal.of("cannot " + action + " projection '" + name + "'", e.getMessage());
        }
        return projections.status(name);
    }

    private static long required(@Nullable Long offset, String name, String action) {
        if (offset == null) {
            throw new IllegalArgumentException("give the offset of the event to " + action + " (" + action
                    + "?offset=N): for a skip, the offset projection '" + name + "' is stopped at, as its status"
                    + " shows; for a replay, the offset of one of its dead letters");
        }
        return offset;
    }

    private static @Nullable String operator(SecurityContext security) {
        Principal principal = security == null ? null : security.getPrincipal();
        return principal == null ? null : principal.getName();
    }

    private static Object replayed(List<DeadLetter> letters) {
        List<DeadLetterView> views = letters.stream().map(DeadLetterView::of).toList();
        boolean applied = letters.stream().allMatch(letter -> letter.state() == DeadLetter.State.REPLAYED);
        return applied ? views : new WebEndpointResponse<>(views, 409);
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

    /**
     * A dead letter as the endpoint shows it: {@link DeadLetter}, with the payload as JSON rather than as a string.
     *
     * @param offset        the event's offset
     * @param generation    the generation that moved past it
     * @param segment       the segment that moved past it
     * @param streamId      the event's stream
     * @param streamVersion the event's version in its stream
     * @param eventType     the type name the event was stored under
     * @param payload       the event's payload
     * @param metadata      the event's metadata
     * @param errorType     the class name of the last exception
     * @param message       the last exception's message
     * @param attempts      how many times the handler was tried on the event, replays included
     * @param failedAt      when it last failed
     * @param state         PARKED, SKIPPED or REPLAYED
     * @param decision      who moved past it, why and when
     * @param replay        who applied it again, and when
     */
    public record DeadLetterView(long offset, int generation, int segment, String streamId, long streamVersion,
                                 String eventType, @JsonRawValue @Nullable String payload,
                                 @Nullable EventMetadata metadata, String errorType, String message, int attempts,
                                 Instant failedAt, DeadLetter.State state, DeadLetter.Decision decision,
                                 Optional<DeadLetter.Decision> replay) {

        static DeadLetterView of(DeadLetter letter) {
            return new DeadLetterView(letter.offset(), letter.generation(), letter.segment(), letter.streamId(),
                    letter.streamVersion(), letter.eventType(), letter.payload(), letter.metadata(),
                    letter.errorType(), letter.message(), letter.attempts(), letter.failedAt(), letter.state(),
                    letter.decision(), letter.replay());
        }
    }

    /**
     * Why a write operation was refused, as an RFC 9457 problem with status 400: the request is wrong (an unknown
     * projection or action, a missing or wrong offset, an operation the projection does not allow), not the server.
     *
     * @param title  what was refused
     * @param status the HTTP status
     * @param detail why, and what to do instead
     */
    public record Refusal(String title, int status, String detail) {

        static WebEndpointResponse<Refusal> of(String detail) {
            return of(HttpStatus.BAD_REQUEST.getReasonPhrase(), detail);
        }

        static WebEndpointResponse<Refusal> of(String title, String detail) {
            return new WebEndpointResponse<>(new Refusal(title, WebEndpointResponse.STATUS_BAD_REQUEST, detail),
                    WebEndpointResponse.STATUS_BAD_REQUEST, PROBLEM);
        }
    }
}
