package dev.kappa.eventstore.internal.append;

import java.util.List;

/**
 * One append request, prepared: one stream or several. It is written atomically:
 * every stream's condition holds and all events are written, or nothing is. With an idempotency key, it is written
 * only if no append with that key was written before, and refused if that one was made for a different request.
 *
 * @param idempotencyKey     the key the append is made once under, or {@code null}
 * @param requestFingerprint the fingerprint of the request made under the key, or {@code null} (always without a key)
 */
record PreparedAppend(List<PreparedStream> streams, int eventCount, String idempotencyKey, String requestFingerprint) {

    PreparedAppend(List<PreparedStream> streams, String idempotencyKey, String requestFingerprint) {
        this(List.copyOf(streams), streams.stream().mapToInt(s -> s.events().size()).sum(), idempotencyKey,
                requestFingerprint);
    }

    String describe() {
        if (streams.size() == 1) {
            return "stream '" + streams.get(0).streamId() + "'";
        }
        return "streams " + streams.stream().map(s -> "'" + s.streamId() + "'").toList();
    }
}
