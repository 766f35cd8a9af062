package dev.kappa.eventstore;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the log keeps about an event beside its payload.
 *
 * @param eventId       the event's unique id
 * @param correlationId the id of the conversation it belongs to, or {@code null}
 * @param causationId   the id of the command or event that caused it, or {@code null}
 * @param recordedAt    when it was appended
 * @param entries       free entries; never {@code null}
 */
public record EventMetadata(UUID eventId, String correlationId, String causationId, Instant recordedAt,
                            Map<String, String> entries) {

    public EventMetadata {
        Objects.requireNonNull(eventId, "event id must not be null");
        Objects.requireNonNull(recordedAt, "recorded time must not be null");
        entries = entries == null ? Map.of() : Map.copyOf(entries);
    }
}
