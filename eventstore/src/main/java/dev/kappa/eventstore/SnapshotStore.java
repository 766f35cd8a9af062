package dev.kappa.eventstore;

import java.util.Optional;

/**
 * Keeps the latest snapshot of each stream: a compacted store, one entry per stream.
 *
 * <p>Implementations are thread-safe.
 */
public interface SnapshotStore {

    /**
     * Saves a snapshot unless one of the same or a later version is already stored (a slower writer never replaces a
     * newer snapshot).
     *
     * @return whether this snapshot was stored
     * @throws IllegalArgumentException if the stream id is invalid, the version below 1, or the state cannot be
     *                                  serialised
     */
    boolean save(String streamId, long version, Object state);

    /**
     * Loads the stream's latest snapshot.
     *
     * @return the snapshot, or empty if there is none, or if it was saved from another state type (a changed class)
     */
    <T> Optional<Snapshot<T>> load(String streamId, Class<T> stateType);

    /** Deletes the stream's snapshot, if any. */
    void delete(String streamId);
}
