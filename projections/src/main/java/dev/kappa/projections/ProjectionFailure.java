package dev.kappa.projections;

import java.time.Instant;
import java.util.Objects;

/**
 * Why a segment stopped: the event its handler kept failing on, and the last error.
 *
 * @param offset    the offset of the event; the segment's checkpoint is below it
 * @param eventType the type name the event was stored under
 * @param errorType the class name of the last exception
 * @param message   the last exception's message (may be empty)
 * @param attempts  how many times the event was tried
 * @param failedAt  when the segment gave up
 */
public record ProjectionFailure(long offset, String eventType, String errorType, String message, int attempts,
                                Instant failedAt) {

    public ProjectionFailure {
        Objects.requireNonNull(eventType, "event type must not be null");
        Objects.requireNonNull(errorType, "error type must not be null");
        Objects.requireNonNull(failedAt, "failure time must not be null");
        message = message == null ? "" : message;
    }
}
