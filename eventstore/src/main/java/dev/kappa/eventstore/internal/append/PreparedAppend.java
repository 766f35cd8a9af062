package dev.kappa.eventstore.internal.append;

import java.util.List;

/**
 * One append call, prepared: one stream for {@code append}, several for {@code appendAll}. It is written atomically:
 * every stream's condition holds and all events are written, or nothing is. With an idempotency key, it is written
 * only if no append with that key was written before.
 */
record PreparedAppend(List<PreparedStream> streams, int eventCount, String idempotencyKey) {

    /** @param idempotencyKey the key the append is made once under, or {@code null} */
    PreparedAppend(List<PreparedStream> streams, String idempotencyKey) {
        this(List.copyOf(streams), streams.stream().mapToInt(s -> s.events().size()).sum(), idempotencyKey);
    }

    String describe() {
        if (streams.size() == 1) {
            return "stream '" + streams.get(0).streamId() + "'";
        }
        return "streams " + streams.stream().map(s -> "'" + s.streamId() + "'").toList();
    }
}
