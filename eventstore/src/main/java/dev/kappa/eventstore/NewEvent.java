package dev.kappa.eventstore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An event to append: its payload (a record whose type is registered with the {@link EventCodec}) and what the log
 * keeps beside it.
 *
 * <pre>{@code
 * NewEvent.of(new MoneyDeposited(500)).withCorrelationId(requestId)
 * NewEvent.of(new ProfileChanged("c-7", "Ada")).withCompactionKey("customer:c-7")
 * NewEvent.tombstone("customer:c-7", new ProfileErased("c-7"))
 * }</pre>
 *
 * @param payload       the event itself
 * @param eventId       a unique id; {@link #of(Object)} picks a random one
 * @param compactionKey the key under which compaction keeps only the latest record, or {@code null} for a record
 *                      that is never compacted
 * @param tombstone     whether this record deletes its key: once older than the tombstone retention, compaction
 *                      removes it together with every earlier record of the key
 * @param correlationId the id of the conversation this event belongs to, or {@code null}
 * @param causationId   the id of the command or event that caused this one, or {@code null}
 * @param metadata      free entries kept with the event; never {@code null}
 */
public record NewEvent(Object payload, UUID eventId, String compactionKey, boolean tombstone, String correlationId,
                       String causationId, Map<String, String> metadata) {

    public NewEvent {
        Objects.requireNonNull(payload, "event payload must not be null");
        Objects.requireNonNull(eventId, "event id must not be null");
        if (compactionKey != null && compactionKey.isBlank()) {
            throw new IllegalArgumentException("compaction key must not be blank; use null for a record that is never"
                    + " compacted");
        }
        if (tombstone && compactionKey == null) {
            throw new IllegalArgumentException("a tombstone needs a compaction key: it deletes that key");
        }
        metadata = copyOf(metadata);
    }

    /** An event with a random id, no compaction key and no metadata. */
    public static NewEvent of(Object payload) {
        return new NewEvent(payload, UUID.randomUUID(), null, false, null, null, Map.of());
    }

    /** A tombstone for {@code compactionKey}: once retention has passed, compaction removes the key altogether. */
    public static NewEvent tombstone(String compactionKey, Object payload) {
        Objects.requireNonNull(compactionKey, "compaction key of a tombstone must not be null");
        return new NewEvent(payload, UUID.randomUUID(), compactionKey, true, null, null, Map.of());
    }

    /** This event, kept under {@code key} by compaction: a later record with the same key supersedes it. */
    public NewEvent withCompactionKey(String key) {
        Objects.requireNonNull(key, "compaction key must not be null");
        return new NewEvent(payload, eventId, key, tombstone, correlationId, causationId, metadata);
    }

    /** This event with the given id instead of a random one. */
    public NewEvent withEventId(UUID id) {
        return new NewEvent(payload, id, compactionKey, tombstone, correlationId, causationId, metadata);
    }

    /** This event with a correlation id. */
    public NewEvent withCorrelationId(String id) {
        return new NewEvent(payload, eventId, compactionKey, tombstone, id, causationId, metadata);
    }

    /** This event with a causation id. */
    public NewEvent withCausationId(String id) {
        return new NewEvent(payload, eventId, compactionKey, tombstone, correlationId, id, metadata);
    }

    /** This event with one more metadata entry (replacing an entry of the same key). */
    public NewEvent withMetadata(String key, String value) {
        Map<String, String> entries = new LinkedHashMap<>(metadata);
        entries.put(requireText(key, "metadata key"), requireText(value, "value of metadata entry '" + key + "'"));
        return new NewEvent(payload, eventId, compactionKey, tombstone, correlationId, causationId, entries);
    }

    /** This event with these metadata entries added (replacing entries of the same keys). */
    public NewEvent withMetadata(Map<String, String> entries) {
        Objects.requireNonNull(entries, "metadata entries must not be null");
        Map<String, String> merged = new LinkedHashMap<>(metadata);
        merged.putAll(copyOf(entries));
        return new NewEvent(payload, eventId, compactionKey, tombstone, correlationId, causationId, merged);
    }

    private static Map<String, String> copyOf(Map<String, String> entries) {
        if (entries == null || entries.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        entries.forEach((key, value) -> copy.put(requireText(key, "metadata key"),
                requireText(value, "value of metadata entry '" + key + "'")));
        return java.util.Collections.unmodifiableMap(copy);
    }

    private static String requireText(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }
}
