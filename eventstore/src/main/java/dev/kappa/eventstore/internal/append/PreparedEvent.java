package dev.kappa.eventstore.internal.append;

import java.time.Instant;
import java.util.UUID;

/**
 * An event ready to be written: encoded and checked, waiting only for its offset and stream version.
 */
record PreparedEvent(String type, String payload, UUID eventId, String correlationId, String causationId,
                     String metadataJson, String compactionKey, boolean tombstone, Instant recordedAt) {
}
