package dev.kappa.eventstore;

import java.util.Objects;

/**
 * One record of the log, as stored: the payload is still JSON, so that a reader that does not care about this type
 * pays nothing to decode it. {@link EventCodec#decode(LogRecord)} turns it into the event.
 *
 * @param offset        the record's global position: dense, strictly increasing in commit order, never changed
 * @param streamId      the stream it belongs to
 * @param streamVersion its 1-based version within the stream
 * @param type          the event type name it was stored under (before any upcasting)
 * @param payload       the payload as JSON text
 * @param metadata      event id, correlation and causation ids, recorded time, free entries
 * @param compactionKey the compaction key, or {@code null}
 * @param tombstone     whether it deletes its compaction key
 */
public record LogRecord(long offset, String streamId, long streamVersion, String type, String payload,
                        EventMetadata metadata, String compactionKey, boolean tombstone) {

    public LogRecord {
        Objects.requireNonNull(streamId, "stream id must not be null");
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        Objects.requireNonNull(metadata, "metadata must not be null");
    }

    @Override
    public String toString() {
        return "LogRecord[offset=" + offset + ", stream=" + streamId + "@" + streamVersion + ", type=" + type
                + (compactionKey == null ? "" : ", key=" + compactionKey) + (tombstone ? ", tombstone" : "") + "]";
    }
}
