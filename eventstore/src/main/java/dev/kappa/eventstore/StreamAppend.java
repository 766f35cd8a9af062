package dev.kappa.eventstore;

import java.util.List;
import java.util.Objects;

/**
 * Events to append to one stream, under a version condition: one part of an
 * {@link AppendRequest#of(List) atomic multi-stream append}.
 *
 * @param streamId        the stream; not blank, at most {@value #MAX_STREAM_ID_LENGTH} characters
 * @param expectedVersion the version the stream must be at
 * @param events          the events, in order; at least one
 */
public record StreamAppend(String streamId, ExpectedVersion expectedVersion, List<NewEvent> events) {

    /** The longest stream id the log takes, in characters. */
    public static final int MAX_STREAM_ID_LENGTH = 200;

    public StreamAppend {
        requireValidStreamId(streamId);
        Objects.requireNonNull(expectedVersion, () -> "expected version for stream '" + streamId + "' must not be null");
        Objects.requireNonNull(events, () -> "events for stream '" + streamId + "' must not be null");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events to append to stream '" + streamId
                    + "': an append needs at least one event");
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) == null) {
                throw new IllegalArgumentException("event " + i + " for stream '" + streamId + "' is null");
            }
        }
        events = List.copyOf(events);
    }

    /** Shorthand for {@code new StreamAppend(streamId, expectedVersion, List.of(events))}. */
    public static StreamAppend of(String streamId, ExpectedVersion expectedVersion, NewEvent... events) {
        return new StreamAppend(streamId, expectedVersion, List.of(events));
    }

    /**
     * Checks a stream id: not null, not blank, at most {@value #MAX_STREAM_ID_LENGTH} characters, no control
     * characters.
     *
     * @throws IllegalArgumentException if the id breaks one of these rules
     */
    public static String requireValidStreamId(String streamId) {
        return requireValidName(streamId, "stream id");
    }

    /**
     * Checks an idempotency key by the same rules as a stream id.
     *
     * @throws IllegalArgumentException if the key breaks one of them
     */
    public static String requireValidIdempotencyKey(String key) {
        return requireValidName(key, "idempotency key");
    }

    /**
     * Checks a request fingerprint (what tells two requests under one idempotency key apart, a digest of the request,
     * say) by the same rules as a stream id.
     *
     * @throws IllegalArgumentException if the fingerprint breaks one of them
     */
    public static String requireValidRequestFingerprint(String fingerprint) {
        return requireValidName(fingerprint, "request fingerprint");
    }

    /**
     * Checks an idempotency key and its request fingerprint, either of which may be {@code null}: each valid when
     * present, and no fingerprint without a key (it says which request the key was used for).
     *
     * @throws IllegalArgumentException if one breaks these rules
     */
    public static void requireValidIdempotency(String idempotencyKey, String requestFingerprint) {
        if (idempotencyKey != null) {
            requireValidIdempotencyKey(idempotencyKey);
        }
        if (requestFingerprint != null) {
            if (idempotencyKey == null) {
                throw new IllegalArgumentException("a request fingerprint needs an idempotency key: it says which"
                        + " request the key was used for");
            }
            requireValidRequestFingerprint(requestFingerprint);
        }
    }

    private static String requireValidName(String name, String what) {
        if (name == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (name.length() > MAX_STREAM_ID_LENGTH) {
            throw new IllegalArgumentException(what + " must be at most " + MAX_STREAM_ID_LENGTH
                    + " characters but was " + name.length() + " ('" + name.substring(0, 40) + "…')");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new IllegalArgumentException(what + " must not contain control characters but '"
                        + name.replaceAll("\\p{Cntrl}", "?") + "' has one at index " + i);
            }
        }
        return name;
    }
}
