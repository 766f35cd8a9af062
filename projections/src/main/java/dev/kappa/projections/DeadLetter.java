package dev.kappa.projections;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import dev.kappa.eventstore.EventMetadata;

/**
 * An event a projection moved past without applying it: parked by a {@link FailureMode#DEAD_LETTER} projection, or
 * skipped by an operator ({@link ProjectionRuntime#skip}). It keeps a copy of the event, the last error, and who
 * decided what, so that nothing is lost: {@link ProjectionRuntime#replay} applies it again once the handler is fixed.
 *
 * @param projection    the projection
 * @param generation    the generation that moved past it
 * @param segment       the segment that moved past it
 * @param offset        the event's offset
 * @param streamId      the event's stream
 * @param streamVersion the event's version in its stream; 0 for a letter parked before Kappa kept the event
 * @param eventType     the type name the event was stored under
 * @param payload       the event's payload, as JSON text; {@code null} for a letter parked before Kappa kept the event
 * @param metadata      the event's metadata; {@code null} for a letter parked before Kappa kept the event
 * @param errorType     the class name of the last exception (of a failed replay, after one)
 * @param message       the last exception's message
 * @param attempts      how many times the handler was tried on the event, replays included
 * @param failedAt      when it last failed
 * @param state         what became of it
 * @param decision      who moved past it, when, and why
 * @param replay        who applied it again, and when, once {@link State#REPLAYED}
 */
public record DeadLetter(String projection, int generation, int segment, long offset, String streamId,
                         long streamVersion, String eventType, String payload, EventMetadata metadata,
                         String errorType, String message, int attempts, Instant failedAt, State state,
                         Decision decision, Optional<Decision> replay) {

    public DeadLetter {
        Objects.requireNonNull(projection, "projection must not be null");
        Objects.requireNonNull(streamId, "stream id must not be null");
        Objects.requireNonNull(eventType, "event type must not be null");
        Objects.requireNonNull(errorType, "error type must not be null");
        Objects.requireNonNull(failedAt, "failure time must not be null");
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(decision, "decision must not be null");
        Objects.requireNonNull(replay, "replay must not be null (use Optional.empty())");
        message = message == null ? "" : message;
    }

    /** What became of a dead letter. */
    public enum State {

        /** Parked by the projection's {@link FailureMode#DEAD_LETTER} failure mode after the retries ran out. */
        PARKED,

        /** Skipped by an operator while the projection was stopped at it. */
        SKIPPED,

        /** Applied again by {@link ProjectionRuntime#replay}, after the projection had moved past it. */
        REPLAYED
    }

    /**
     * A decision about a dead letter.
     *
     * @param by   who or what decided: {@code "failure mode DEAD_LETTER"}, or the operator's name
     * @param note why, as the operator gave it; empty if none was given
     * @param at   when
     */
    public record Decision(String by, String note, Instant at) {

        /** What the failure mode decides: no operator, no note. */
        public static final String FAILURE_MODE = "failure mode DEAD_LETTER";

        /** Who decided when the caller names nobody. */
        public static final String OPERATOR = "operator";

        public Decision {
            Objects.requireNonNull(at, "decision time must not be null");
            by = by == null || by.isBlank() ? OPERATOR : by;
            note = note == null ? "" : note;
        }
    }
}
