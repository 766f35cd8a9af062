package dev.kappa.eventstore.internal.append;

import java.util.List;

/**
 * One append call, prepared: one stream for {@code append}, several for {@code appendAll}. It is written atomically:
 * every stream's condition holds and all events are written, or nothing is.
 */
record PreparedAppend(List<PreparedStream> streams, int eventCount) {

    PreparedAppend(List<PreparedStream> streams) {
        this(List.copyOf(streams), streams.stream().mapToInt(s -> s.events().size()).sum());
    }

    String describe() {
        if (streams.size() == 1) {
            return "stream '" + streams.get(0).streamId() + "'";
        }
        return "streams " + streams.stream().map(s -> "'" + s.streamId() + "'").toList();
    }
}
