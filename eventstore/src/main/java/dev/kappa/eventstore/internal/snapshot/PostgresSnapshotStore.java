package dev.kappa.eventstore.internal.snapshot;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.Snapshot;
import dev.kappa.eventstore.SnapshotStore;
import dev.kappa.eventstore.StreamAppend;
import dev.kappa.eventstore.internal.SpringConnections;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Keeps one snapshot per stream in {@code kappa_snapshots}, as JSON written by the store's codec.
 *
 * <p>A snapshot is a cache of what the stream's events say, so one that no longer fits its class (the class was
 * renamed or changed incompatibly) is ignored, never an error: the owner is rebuilt from its events instead.
 *
 * <p>Thread-safe.
 */
public final class PostgresSnapshotStore implements SnapshotStore {

    private static final Logger log = LoggerFactory.getLogger(PostgresSnapshotStore.class);

    private static final String SAVE = """
            INSERT INTO kappa_snapshots (stream_id, stream_version, state_type, state, taken_at)
            VALUES (?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (stream_id) DO UPDATE
               SET stream_version = EXCLUDED.stream_version, state_type = EXCLUDED.state_type,
                   state = EXCLUDED.state, taken_at = EXCLUDED.taken_at
             WHERE kappa_snapshots.stream_version < EXCLUDED.stream_version
            """;

    private static final String LOAD =
            "SELECT stream_version, state_type, state, taken_at FROM kappa_snapshots WHERE stream_id = ?";

    private static final String DELETE = "DELETE FROM kappa_snapshots WHERE stream_id = ?";

    private final SpringConnections connections;
    private final StoreSettings settings;

    public PostgresSnapshotStore(DataSource dataSource, StoreSettings settings) {
        this.connections = new SpringConnections(dataSource);
        this.settings = settings;
    }

    @Override
    public boolean save(String streamId, long version, Object state) {
        StreamAppend.requireValidStreamId(streamId);
        if (version < 1) {
            throw new IllegalArgumentException("snapshot version must be at least 1 but was " + version
                    + " (stream '" + streamId + "')");
        }
        Objects.requireNonNull(state, () -> "snapshot state of stream '" + streamId + "' must not be null");
        String json = settings.codec().writeValue(state);
        Instant now = settings.clock().instant();
        return connections.run("save the snapshot of stream '" + streamId + "' at version " + version, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(SAVE)) {
                statement.setString(1, streamId);
                statement.setLong(2, version);
                statement.setString(3, state.getClass().getName());
                statement.setString(4, json);
                statement.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public <T> Optional<Snapshot<T>> load(String streamId, Class<T> stateType) {
        StreamAppend.requireValidStreamId(streamId);
        Objects.requireNonNull(stateType, "state type must not be null");
        Optional<StoredSnapshot> stored = connections.run("load the snapshot of stream '" + streamId + "'",
                connection -> {
                    try (PreparedStatement statement = connection.prepareStatement(LOAD)) {
                        statement.setString(1, streamId);
                        try (ResultSet rs = statement.executeQuery()) {
                            return rs.next()
                                    ? Optional.of(new StoredSnapshot(rs.getLong(1), rs.getString(2), rs.getString(3),
                                            rs.getObject(4, OffsetDateTime.class).toInstant()))
                                    : Optional.empty();
                        }
                    }
                });
        return stored.flatMap(snapshot -> decode(streamId, snapshot, stateType));
    }

    @Override
    public void delete(String streamId) {
        StreamAppend.requireValidStreamId(streamId);
        connections.run("delete the snapshot of stream '" + streamId + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
                statement.setString(1, streamId);
                return statement.executeUpdate();
            }
        });
    }

    private <T> Optional<Snapshot<T>> decode(String streamId, StoredSnapshot stored, Class<T> stateType) {
        if (!stateType.getName().equals(stored.stateType())) {
            log.debug("ignoring the snapshot of stream '{}': it holds a {}, not a {}", streamId, stored.stateType(),
                    stateType.getName());
            return Optional.empty();
        }
        try {
            T state = settings.codec().readValue(stored.json(), stateType);
            return Optional.of(new Snapshot<>(streamId, stored.version(), state, stored.takenAt()));
        } catch (RuntimeException e) {
            log.warn("ignoring the snapshot of stream '{}' at version {}: it no longer reads as {} ({});"
                    + " the stream is replayed from its events instead", streamId, stored.version(),
                    stateType.getName(), e.getMessage());
            return Optional.empty();
        }
    }

    /** A snapshot row, not yet decoded. */
    private record StoredSnapshot(long version, String stateType, String json, Instant takenAt) {
    }
}
