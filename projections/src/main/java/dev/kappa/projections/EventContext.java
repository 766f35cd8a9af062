package dev.kappa.projections;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import dev.kappa.eventstore.EventMetadata;

/**
 * Where an event comes from and who handles it: what an {@link EventHandler} may take beside the event. It carries
 * what a reactor needs to send a command of its own: the event's id (the command's causation), its correlation id,
 * its offset and its stream.
 *
 * @param offset        the event's position in the log
 * @param streamId      the stream it belongs to
 * @param streamVersion its 1-based version within the stream
 * @param eventType     the type name it was stored under
 * @param metadata      its event id, correlation and causation ids, recorded time and free entries
 * @param projection    the projection handling it
 * @param segment       the segment handling it, 0-based
 * @param tables        the physical names of the tables the handling worker writes
 */
public record EventContext(long offset, String streamId, long streamVersion, String eventType, EventMetadata metadata,
                           String projection, int segment, ProjectionTables tables) {

    public EventContext {
        Objects.requireNonNull(streamId, "stream id must not be null");
        Objects.requireNonNull(eventType, "event type must not be null");
        Objects.requireNonNull(metadata, "metadata must not be null");
        Objects.requireNonNull(projection, "projection must not be null");
        Objects.requireNonNull(tables, "tables must not be null");
    }

    /** The event's unique id: the causation id of whatever it causes. */
    public UUID eventId() {
        return metadata.eventId();
    }

    /** The id of the conversation the event belongs to, or {@code null}. */
    public String correlationId() {
        return metadata.correlationId();
    }

    /** The id of what caused the event, or {@code null}. */
    public String causationId() {
        return metadata.causationId();
    }

    /** When the event was appended. */
    public Instant recordedAt() {
        return metadata.recordedAt();
    }

    /** The physical name of one of the projection's tables in the generation being built: see {@link ProjectionTables}. */
    public String table(String logicalTable) {
        return tables.name(logicalTable);
    }
}
