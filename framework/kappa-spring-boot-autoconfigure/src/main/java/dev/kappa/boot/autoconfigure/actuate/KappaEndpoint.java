package dev.kappa.boot.autoconfigure.actuate;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import org.springframework.util.ClassUtils;
import org.springframework.util.MimeType;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.kappa.eventstore.CompactionRun;
import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.LogCompactor;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.FleetInstance;
import dev.kappa.projections.NoSuchDeadLetterException;
import dev.kappa.projections.ProjectionControl;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionStatus;

/**
 * {@code /actuator/kappa}: the log's head and every projection's status, checkpoint, lag, rate and rebuild progress;
 * {@code /actuator/kappa/{projection}/dead-letters}: the events a projection moved past, with payload, error and
 * decision. Its write operations reset, rebuild or restart a projection, skip the event a stopped one failed on, or
 * replay a dead letter: {@code POST /actuator/kappa/{projection}/reset} (optionally {@code ?offset=N}),
 * {@code .../rebuild}, {@code .../restart}, {@code .../skip?offset=N} (optionally {@code &note=why}),
 * {@code .../replay?offset=N}. The report also names the fleet's instances and compaction's last run. Like Spring Boot's own sensitive endpoints, it is read-only until the application opts
 * in with {@code management.endpoint.kappa.access=unrestricted}. An operation the projection refuses (a reset to an
 * offset it cannot go back to, say) answers a 400 problem whose detail says what to do instead; an unknown projection,
 * a 404 problem on a read. Problems carry {@code type} (after {@code kappa.web.problems.type-prefix}) and
 * {@code instance}. With Kafka, the report also shows the relay (state, relayed offset, head, lag, rate, error) and
 * the compacted views; a Kafka-fed projection is reset and rebuilt like any other.
 */
@Endpoint(id = "kappa", defaultAccess = Access.READ_ONLY)
public class KappaEndpoint {

    private static final String DEAD_LETTERS = "dead-letters";
    private static final MimeType PROBLEM = MimeType.valueOf("application/problem+json");
    /**
     * What the web support's problem types start with unless {@code kappa.web.problems.type-prefix} says otherwise;
     * the console's problems follow it too.
     */
    public static final String DEFAULT_TYPE_PREFIX = "https://kappa.dev/problems/";
    private static final Pattern OFFSET = Pattern.compile("[0-9]{1,19}");
    private static final boolean SERVLET = ClassUtils.isPresent(
            "org.springframework.web.context.request.RequestContextHolder", KappaEndpoint.class.getClassLoader())
            && ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest", KappaEndpoint.class.getClassLoader());

    private final EventReader log;
    private final ProjectionMonitor projections;
    private final ProjectionControl control;
    private final String typePrefix;
    private final @Nullable KafkaStatus kafka;
    private final @Nullable LogCompactor compactor;

    public KappaEndpoint(EventReader log, ProjectionMonitor projections, ProjectionControl control) {
        this(log, projections, control, DEFAULT_TYPE_PREFIX);
    }

    public KappaEndpoint(EventReader log, ProjectionMonitor projections, ProjectionControl control,
                         String typePrefix) {
        this(log, projections, control, typePrefix, null);
    }

    /**
     * @param projections what the read operations show
     * @param control     what the write operations do
     * @param typePrefix  what the {@code type} of the endpoint's problems starts with, as the web support's do
     * @param kafka       the relay and compacted views the report shows; null without Kafka
     */
    public KappaEndpoint(EventReader log, ProjectionMonitor projections, ProjectionControl control,
                         String typePrefix, @Nullable KafkaStatus kafka) {
        this(log, projections, control, typePrefix, kafka, null);
    }

    /**
     * @param compactor whose last run the report shows; null to leave it out
     */
    public KappaEndpoint(EventReader log, ProjectionMonitor projections, ProjectionControl control,
                         String typePrefix, @Nullable KafkaStatus kafka, @Nullable LogCompactor compactor) {
        this.compactor = compactor;
        this.log = log;
        this.projections = projections;
        this.control = control;
        this.typePrefix = typePrefix;
        this.kafka = kafka;
    }

    /**
     * The log's head and all projections, and with Kafka the relay and the compacted views; while the database does
     * not answer, what is known without it.
     */
    @ReadOperation
    public KappaReport report() {
        List<ProjectionStatus> statuses = projections.status();
        KafkaStatus.Relay relay = kafka == null ? null : kafka.relay();
        List<KafkaStatus.View> views = kafka == null ? List.of() : kafka.views();
        List<FleetInstance> fleet = projections.fleet();
        LogHead head = LogHead.read(log, statuses);
        if (!head.known()) {
            return new KappaReport(null, statuses, head.error(), relay, views, fleet, null);
        }
        try {
            return new KappaReport(head.head(), statuses, null, relay, views, fleet,
                    compactor == null ? null : compactor.lastRun().orElse(null));
        } catch (EventStoreException e) {
            return new KappaReport(null, statuses, e.getMessage(), relay, views, fleet, null);
        }
    }

    /**
     * One projection's {@link ProjectionStatus}; a 404 {@link Refusal} naming the known projections if there is no
     * projection of that name.
     */
    @ReadOperation
    public Object projection(@Selector String name) {
        return known(name) ? projections.status(name) : unknown(HttpStatus.NOT_FOUND, name);
    }

    /**
     * A projection's dead letters ({@link DeadLetterView}s), in the order they were decided; a 404 {@link Refusal} if
     * there is no projection of that name or {@code what} is not {@code dead-letters}.
     */
    @ReadOperation
    public Object deadLetters(@Selector String name, @Selector String what) {
        if (!known(name)) {
            return unknown(HttpStatus.NOT_FOUND, name);
        }
        if (!DEAD_LETTERS.equals(what)) {
            return refusal(HttpStatus.NOT_FOUND, "not-found", HttpStatus.NOT_FOUND.getReasonPhrase(),
                    "projection '" + name + "' has no '" + what + "' to show: GET " + DEAD_LETTERS + " lists its"
                            + " dead letters, or POST reset, rebuild, restart, skip or replay acts on it");
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
     * @param offset   for a reset, the offset to reset to; for a skip or a replay, the event's offset: a whole number
     *                 from 0, as a string or a JSON number
     * @param note     for a skip, why, recorded with the decision
     * @param security who asks: the name recorded with a skip or a replay
     * @return the projection's status afterwards; for a replay, the letters at the offset (200), or a
     *         {@link FailedReplay} problem with status 409 if the handler failed again; a {@link Refusal} (an RFC 9457
     *         problem) with status 400 if the request cannot be carried out
     */
    @WriteOperation
    public Object operate(@Selector String name, @Selector String action, @Nullable String offset,
                          @Nullable String note, SecurityContext security) {
        if (!known(name)) {
            return unknown(HttpStatus.BAD_REQUEST, name);
        }
        Long at;
        try {
            at = offset(offset);
        } catch (IllegalArgumentException e) {
            return refusal(HttpStatus.BAD_REQUEST, "invalid-request", "cannot " + action + " projection '" + name
                    + "'", e.getMessage());
        }
        try {
            switch (action) {
                case "reset" -> control.reset(name, at == null ? 0 : at);
                case "rebuild" -> control.rebuild(name);
                case "restart" -> control.restart(name);
                case "skip" -> control.skip(name, required(at, name, action), operator(security), note);
                case "replay" -> {
                    long letter = required(at, name, action);
                    return replayed(name, letter, control.replay(name, letter, operator(security)));
                }
                default -> {
                    return refusal(HttpStatus.BAD_REQUEST, "operation-refused",
                            HttpStatus.BAD_REQUEST.getReasonPhrase(), "unknown action '" + action + "' for projection '"
                                    + name + "': use reset (with an optional offset), rebuild, restart, skip or replay"
                                    + " (with an offset)");
                }
            }
        } catch (NoSuchDeadLetterException e) {
            return refusal(HttpStatus.BAD_REQUEST, "operation-refused", "cannot " + action + " projection '" + name
                    + "'", "projection '" + name + "' has no dead letter at offset " + e.offset() + ": list them with"
                    + " GET " + instance(name, DEAD_LETTERS));
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a reset the projection cannot go back for, a rebuild of a projection without tables, a skip of a
            // projection that is not stopped there: the request is wrong, not the server. The message says what to do
            // instead, so it goes in the body, which Spring Boot's error page would leave out
            return refusal(HttpStatus.BAD_REQUEST, "operation-refused", "cannot " + action + " projection '" + name
                    + "'", String.valueOf(e.getMessage()));
        }
        return projections.status(name);
    }

    /** An offset as an operator writes it, checked here so that the answer can say what it must be. */
    private static @Nullable Long offset(@Nullable String offset) {
        if (offset == null) {
            return null;
        }
        String trimmed = offset.strip();
        if (OFFSET.matcher(trimmed).matches()) {
            try {
                return Long.parseLong(trimmed);
            } catch (NumberFormatException tooLarge) {
                // nineteen digits above Long.MAX_VALUE: refused below like any other
            }
        }
        String shown = offset.replaceAll("\\p{Cntrl}", "?");
        throw new IllegalArgumentException("offset: must be a log offset, a whole number from 0 to " + Long.MAX_VALUE
                + ", not '" + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown) + "'");
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

    private Object replayed(String name, long offset, List<DeadLetter> letters) {
        List<DeadLetterView> views = letters.stream().map(DeadLetterView::of).toList();
        List<DeadLetter> failed = letters.stream().filter(letter -> letter.state() != DeadLetter.State.REPLAYED)
                .toList();
        if (failed.isEmpty()) {
            return views;
        }
        String error = failed.get(0).errorType() + ": " + failed.get(0).message();
        FailedReplay problem = new FailedReplay(URI.create(typePrefix + "replay-failed"),
                "the dead letter of projection '" + name + "' at offset " + offset + " failed again",
                HttpStatus.CONFLICT.value(), "the handler failed again on the event at offset " + offset + " ("
                + error + "); the letter stays " + failed.get(0).state() + ". Fix the handler or the data it"
                + " needs, then replay it again", instance(name, "replay"), views);
        return new WebEndpointResponse<>(problem, HttpStatus.CONFLICT.value(), PROBLEM);
    }

    private WebEndpointResponse<Refusal> unknown(HttpStatus status, String name) {
        List<String> names = projections.status().stream().map(ProjectionStatus::name).toList();
        return refusal(status, status == HttpStatus.NOT_FOUND ? "not-found" : "operation-refused",
                "no projection '" + name + "'", "there is no projection '" + name + "'; there are " + names);
    }

    private WebEndpointResponse<Refusal> refusal(HttpStatus status, String type, String title, String detail) {
        return new WebEndpointResponse<>(new Refusal(URI.create(typePrefix + type), title, status.value(), detail,
                instance(null, null)), status.value(), PROBLEM);
    }

    /**
     * The path the request was made to, as RFC 9457's {@code instance}; with {@code action}, the path of that action
     * on the same projection. Outside a servlet request (JMX), the endpoint's own path.
     */
    private static String instance(@Nullable String name, @Nullable String action) {
        String path = SERVLET ? RequestPath.current() : null;
        if (path == null) {
            return action == null ? "kappa" : "kappa/" + name + "/" + action;
        }
        if (action == null) {
            return path;
        }
        int projection = path.lastIndexOf("/" + name + "/");
        return projection < 0 ? path : path.substring(0, projection) + "/" + name + "/" + action;
    }

    private boolean known(String name) {
        return projections.status().stream().anyMatch(status -> status.name().equals(name));
    }

    /** Kept apart so that the endpoint loads without the Servlet API (over JMX alone). */
    private static final class RequestPath {

        static @Nullable String current() {
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest().getRequestURI() : null;
        }
    }

    /**
     * What the endpoint reports.
     *
     * @param head        the highest offset in the log; null while the database does not answer
     * @param projections every projection's status
     * @param store       why the log could not be read, while the database does not answer; else null
     * @param relay       the relay to Kafka, when this instance runs one; left out otherwise
     * @param views       the compacted views of Kafka topics; left out when there are none
     * @param fleet       the instances running the application's projections on this database
     * @param compaction  compaction's last run by any instance; left out if the log was never compacted or the
     *                    database does not answer
     */
    public record KappaReport(@Nullable Long head, List<ProjectionStatus> projections, @Nullable String store,
                              @JsonInclude(JsonInclude.Include.NON_NULL) KafkaStatus.@Nullable Relay relay,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<KafkaStatus.View> views,
                              List<FleetInstance> fleet,
                              @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable CompactionRun compaction) {

        public KappaReport(@Nullable Long head, List<ProjectionStatus> projections, @Nullable String store) {
            this(head, projections, store, null, List.of(), List.of(), null);
        }
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
     * Why an operation was refused, as an RFC 9457 problem: the request is wrong (an unknown projection or action, a
     * missing or wrong offset, an operation the projection does not allow; status 400), or names nothing there is
     * (status 404).
     *
     * @param type     what kind of refusal: the web support's type prefix and {@code operation-refused},
     *                 {@code invalid-request} or {@code not-found}
     * @param title    what was refused
     * @param status   the HTTP status
     * @param detail   why, and what to do instead
     * @param instance the path the request was made to
     */
    public record Refusal(URI type, String title, int status, String detail, String instance) {
    }

    /**
     * A replay whose handler failed again, as an RFC 9457 problem with status 409.
     *
     * @param type     the web support's type prefix and {@code replay-failed}
     * @param title    which letter
     * @param status   409
     * @param detail   the new error, and what to do
     * @param instance the path the request was made to
     * @param letters  the letters at the offset, unchanged but for the new error
     */
    public record FailedReplay(URI type, String title, int status, String detail, String instance,
                               List<DeadLetterView> letters) {
    }
}
