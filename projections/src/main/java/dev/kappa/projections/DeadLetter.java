package dev.kappa.projections;

import java.time.Instant;
import java.util.Objects;

/**
 * An event a {@link FailureMode#DEAD_LETTER} projection gave up on and moved past.
 *
 * @param projection the projection
 * @param generation the generation that gave up on it
 * @param segment    the segment that gave up on it
 * @param offset     the event's offset
 * @param streamId   the event's stream
 * @param eventType  the type name the event was stored under
 * @param errorType  the class name of the last exception
 * @param message    the last exception's message
 * @param attempts   how many times the event was tried
 * @param failedAt   when it was parked
 */
public record DeadLetter(String projection, int generation, int segment, long offset, String streamId,
                         String eventType, String errorType, String message, int attempts, Instant failedAt) {

    public DeadLetter {
        Objects.requireNonNull(projection, "projection must not be null");
        Objects.requireNonNull(streamId, "stream id must not be null");
        Objects.requireNonNull(eventType, "event type must not be null");
        Objects.requireNonNull(errorType, "error type must not be null");
        Objects.requireNonNull(failedAt, "failure time must not be null");
        message = message == null ? "" : message;
    }
}
