package dev.kappa.eventstore;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of a stream's owner (an aggregate) as of a stream version.
 *
 * @param streamId the stream
 * @param version  the stream version the state includes
 * @param state    the state
 * @param takenAt  when it was saved
 * @param <T>      the state's type
 */
public record Snapshot<T>(String streamId, long version, T state, Instant takenAt) {

    public Snapshot {
        Objects.requireNonNull(streamId, "stream id must not be null");
        Objects.requireNonNull(state, "snapshot state must not be null");
        Objects.requireNonNull(takenAt, "snapshot time must not be null");
        if (version < 1) {
            throw new IllegalArgumentException("snapshot version must be at least 1 but was " + version);
        }
    }
}
