package dev.kappa.kafka;

/**
 * The headers of every record the relay publishes: where the record sits in Kappa's log and what it is, so that a
 * consumer on any machine knows the record as well as a reader of the log does. Values are UTF-8 text; numbers in
 * decimal, times in ISO-8601 ({@link java.time.Instant#toString()}). The record's key is the stream id (retained topics)
 * or the compaction key (compacted topics); its value is the event's stored JSON, {@code null} for a tombstone.
 */
public final class KappaHeaders {

    /** The record's log offset: dense and increasing in the log's commit order. */
    public static final String OFFSET = "kappa-offset";
    /** The stream the event belongs to. */
    public static final String STREAM = "kappa-stream";
    /** The event's 1-based version within its stream. */
    public static final String VERSION = "kappa-version";
    /** The event type name it was stored under. */
    public static final String TYPE = "kappa-type";
    /** The event's id (a UUID). */
    public static final String EVENT_ID = "kappa-event-id";
    /** The correlation id; absent when the event has none. */
    public static final String CORRELATION_ID = "kappa-correlation-id";
    /** The causation id; absent when the event has none. */
    public static final String CAUSATION_ID = "kappa-causation-id";
    /** When the event was recorded. */
    public static final String TIME = "kappa-time";
    /** The compaction key; absent when the event has none. */
    public static final String COMPACTION_KEY = "kappa-compaction-key";
    /**
     * Present on a tombstone, an event that deletes its compaction key: its value is the event's stored JSON, since the
     * record's own value must be {@code null} for Kafka's compaction to delete the key.
     */
    public static final String TOMBSTONE = "kappa-tombstone";
    /** Prefix of the metadata's free entries: entry {@code tenant} travels as header {@code kappa-meta-tenant}. */
    public static final String ENTRY_PREFIX = "kappa-meta-";

    private KappaHeaders() {
    }
}
