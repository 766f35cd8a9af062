package dev.kappa.eventstore.internal.append;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.EncodedEvent;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.eventstore.StreamAppend;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Checks and encodes an append call on the caller's thread, so that every bad input fails before anything is queued
 * and the writer thread only writes. Thread-safe: it holds nothing but settings.
 */
final class AppendPreparer {

    private final StoreSettings settings;

    AppendPreparer(StoreSettings settings) {
        this.settings = settings;
    }

    /** Encodes a request, whose shape its record has checked; an event that cannot be stored fails here. */
    PreparedAppend prepare(AppendRequest request) {
        Objects.requireNonNull(request, "append request must not be null");
        Instant recordedAt = settings.clock().instant();
        List<StreamAppend> appends = request.appends();
        List<PreparedStream> streams = new ArrayList<>(appends.size());
        for (StreamAppend append : appends) {
            streams.add(prepare(append, recordedAt));
        }
        return new PreparedAppend(streams, request.idempotencyKey(), request.requestFingerprint());
    }

    private PreparedStream prepare(StreamAppend append, Instant recordedAt) {
        List<PreparedEvent> events = new ArrayList<>(append.events().size());
        for (int i = 0; i < append.events().size(); i++) {
            events.add(prepare(append.streamId(), i, append.events().get(i), recordedAt));
        }
        return new PreparedStream(append.streamId(), append.expectedVersion(), events);
    }

    private PreparedEvent prepare(String streamId, int index, NewEvent event, Instant recordedAt) {
        EncodedEvent encoded;
        try {
            encoded = settings.codec().encode(event.payload());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event " + index + " for stream '" + streamId + "' cannot be appended: "
                    + e.getMessage(), e);
        }
        checkSize(streamId, index, encoded);
        String metadataJson = event.metadata().isEmpty() ? null : settings.codec().writeValue(event.metadata());
        String where = "event " + index + " (" + encoded.type() + ") for stream '" + streamId + "'";
        requireNoNulEscape(encoded.payload(), where + ": its payload");
        if (metadataJson != null) {
            requireNoNulEscape(metadataJson, where + ": its metadata");
        }
        requireNoNul(event.compactionKey(), where + ": its compaction key");
        requireNoNul(event.correlationId(), where + ": its correlation id");
        requireNoNul(event.causationId(), where + ": its causation id");
        return new PreparedEvent(encoded.type(), encoded.payload(), event.eventId(), event.correlationId(),
                event.causationId(), metadataJson, event.compactionKey(), event.tombstone(), recordedAt);
    }

    /** PostgreSQL text cannot hold U+0000, so it would fail the whole batch's transaction: reject it up front. */
    private static void requireNoNul(String text, String what) {
        if (text != null && text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains the NUL character (U+0000), which PostgreSQL cannot"
                    + " store; remove it");
        }
    }

    /** Jackson writes U+0000 as a six-character escape (backslash, u, four zeros), which PostgreSQL's jsonb rejects. */
    private static void requireNoNulEscape(String json, String what) {
        int at = json.indexOf("\\u0000");
        while (at >= 0) {
            int backslashes = 0;
            for (int i = at; i >= 0 && json.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                throw new IllegalArgumentException(what + " contains the NUL character (U+0000), which PostgreSQL"
                        + " cannot store in JSON; remove it");
            }
            at = json.indexOf("\\u0000", at + 1);
        }
    }

    private void checkSize(String streamId, int index, EncodedEvent encoded) {
        String json = encoded.payload();
        int limit = settings.maxPayloadBytes();
        // a char takes at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars), so short payloads need no counting
        if ((long) json.length() * 3 <= limit) {
            return;
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limit) {
            throw new IllegalArgumentException("event " + index + " (" + encoded.type() + ") for stream '" + streamId
                    + "' is " + bytes + " bytes of JSON, over the limit of " + limit + " bytes; keep large content"
                    + " outside the log and store a reference, or raise the limit (maxPayloadBytes)");
        }
    }
}
