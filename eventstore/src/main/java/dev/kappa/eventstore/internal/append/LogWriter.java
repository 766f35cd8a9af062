package dev.kappa.eventstore.internal.append;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.ConcurrencyException;

/**
 * Writes a batch of append calls into the log inside the caller's transaction (it never commits).
 *
 * <p>It first locks the log's head row and holds that lock until the transaction ends. Offsets are taken from the
 * head under this lock, so transactions that append commit in offset order and a reader can never see offset
 * {@code N} before every offset below it is committed: there are no late gaps. Stream versions are read only after
 * the lock is held (a new statement, hence a new snapshot under READ COMMITTED), so they are current.
 *
 * <p>Each append call is decided on its own: one whose condition fails is rejected and the others are written. An
 * append with an idempotency key that was already used (in an earlier transaction or earlier in this batch) is
 * answered with the first append's results and writes nothing; a new key is recorded with the events. The head lock
 * makes this check exact across processes.
 *
 * <p>Stateless and thread-safe; the connection is the caller's.
 */
final class LogWriter {

    private static final String LOCK_HEAD = "SELECT head FROM kappa_log_head WHERE id = 1 FOR UPDATE";

    private static final String STREAM_VERSIONS = "SELECT stream_id, version FROM kappa_streams WHERE stream_id = ANY (?)";

    private static final String RECORDED_APPENDS = """
            SELECT idempotency_key, stream_id, from_offset, to_offset, stream_version
              FROM kappa_idempotency WHERE idempotency_key = ANY (?) ORDER BY idempotency_key, position""";

    /*
     * One round trip writes the events, the streams' new versions and the new head, and queues the notification
     * (delivered by PostgreSQL at commit). Arrays, one per column, carry the whole batch.
     */
    private static final String WRITE = """
            WITH appended AS (
                INSERT INTO kappa_log (log_offset, stream_id, stream_version, event_type, payload, event_id,
                                       correlation_id, causation_id, recorded_at, metadata, compaction_key, tombstone)
                SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[]::jsonb[], ?::uuid[],
                                     ?::text[], ?::text[], ?::text[]::timestamptz[], ?::text[]::jsonb[], ?::text[],
                                     ?::boolean[])
            ), versions AS (
                INSERT INTO kappa_streams (stream_id, version)
                SELECT * FROM unnest(?::text[], ?::bigint[])
                ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version
            ), keys AS (
                INSERT INTO kappa_idempotency (idempotency_key, position, stream_id, from_offset, to_offset,
                                               stream_version, recorded_at)
                SELECT * FROM unnest(?::text[], ?::integer[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[],
                                     ?::text[]::timestamptz[])
            ), advanced AS (
                UPDATE kappa_log_head SET head = ? WHERE id = 1 RETURNING head
            )
            SELECT pg_notify('kappa_log', head::text) FROM advanced
            """;

    List<AppendOutcome> write(Connection connection, List<PreparedAppend> appends) throws SQLException {
        long head = lockHead(connection);
        Map<String, Long> versions = currentVersions(connection, appends);
        Map<String, List<AppendResult>> recorded = recordedAppends(connection, appends);
        Rows rows = new Rows(appends.stream().mapToInt(PreparedAppend::eventCount).sum());
        List<AppendOutcome> outcomes = new ArrayList<>(appends.size());
        for (PreparedAppend append : appends) {
            List<AppendResult> earlier = append.idempotencyKey() == null ? null : recorded.get(append.idempotencyKey());
            if (earlier != null) {
                outcomes.add(AppendOutcome.alreadyAppended(earlier));
                continue;
            }
            ConcurrencyException conflict = firstConflict(append, versions);
            if (conflict != null) {
                outcomes.add(AppendOutcome.rejected(conflict));
                continue;
            }
            List<AppendResult> results = new ArrayList<>(append.streams().size());
            for (PreparedStream stream : append.streams()) {
                long version = versions.getOrDefault(stream.streamId(), 0L);
                long fromOffset = head + 1;
                for (PreparedEvent event : stream.events()) {
                    rows.add(++head, stream.streamId(), ++version, event);
                }
                versions.put(stream.streamId(), version);
                rows.streamVersion(stream.streamId(), version);
                results.add(new AppendResult(stream.streamId(), fromOffset, head, version));
            }
            if (append.idempotencyKey() != null) {
                recorded.put(append.idempotencyKey(), results);
                rows.recordAppend(append.idempotencyKey(), results, append.streams().get(0).events().get(0).recordedAt());
            }
            outcomes.add(AppendOutcome.appended(results));
        }
        if (rows.size() > 0) {
            rows.write(connection, head);
        }
        return outcomes;
    }

    /** Locks the log's head row until the transaction ends, and returns the head offset. */
    static long lockHead(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_HEAD);
             ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the log's head row is missing from kappa_log_head; the Kappa schema is damaged");
            }
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> currentVersions(Connection connection, List<PreparedAppend> appends)
            throws SQLException {
        List<String> streamIds = new ArrayList<>();
        for (PreparedAppend append : appends) {
            for (PreparedStream stream : append.streams()) {
                streamIds.add(stream.streamId());
            }
        }
        Map<String, Long> versions = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(STREAM_VERSIONS)) {
            Array ids = connection.createArrayOf("text", streamIds.toArray());
            statement.setArray(1, ids);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getString(1), rs.getLong(2));
                }
            } finally {
                ids.free();
            }
        }
        return versions;
    }

    private static Map<String, List<AppendResult>> recordedAppends(Connection connection, List<PreparedAppend> appends)
            throws SQLException {
        List<String> keys = new ArrayList<>();
        for (PreparedAppend append : appends) {
            if (append.idempotencyKey() != null) {
                keys.add(append.idempotencyKey());
            }
        }
        Map<String, List<AppendResult>> recorded = new HashMap<>();
        if (!keys.isEmpty()) {
            recorded.putAll(readRecordedAppends(connection, keys));
        }
        return recorded;
    }

    private static Map<String, List<AppendResult>> readRecordedAppends(Connection connection, List<String> keys)
            throws SQLException {
        Map<String, List<AppendResult>> recorded = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(RECORDED_APPENDS)) {
            Array array = connection.createArrayOf("text", keys.toArray());
            statement.setArray(1, array);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    recorded.computeIfAbsent(rs.getString(1), key -> new ArrayList<>()).add(
                            new AppendResult(rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                }
            } finally {
                array.free();
            }
        }
        return recorded;
    }

    private static ConcurrencyException firstConflict(PreparedAppend append, Map<String, Long> versions) {
        for (PreparedStream stream : append.streams()) {
            long actual = versions.getOrDefault(stream.streamId(), 0L);
            if (!stream.expectedVersion().isMetBy(actual)) {
                return new ConcurrencyException(stream.streamId(), stream.expectedVersion(), actual);
            }
        }
        return null;
    }

    /** The batch's rows, column by column, as the arrays the statement takes. */
    private static final class Rows {
        private final List<Long> offsets;
        private final List<String> streamIds;
        private final List<Long> streamVersions;
        private final List<String> types;
        private final List<String> payloads;
        private final List<UUID> eventIds;
        private final List<String> correlationIds;
        private final List<String> causationIds;
        private final List<String> recordedAts;
        private final List<String> metadata;
        private final List<String> compactionKeys;
        private final List<Boolean> tombstones;
        private final Map<String, Long> finalVersions = new LinkedHashMap<>();
        private final List<String> keys = new ArrayList<>();
        private final List<Integer> keyPositions = new ArrayList<>();
        private final List<String> keyStreams = new ArrayList<>();
        private final List<Long> keyFromOffsets = new ArrayList<>();
        private final List<Long> keyToOffsets = new ArrayList<>();
        private final List<Long> keyVersions = new ArrayList<>();
        private final List<String> keyRecordedAts = new ArrayList<>();

        Rows(int capacity) {
            offsets = new ArrayList<>(capacity);
            streamIds = new ArrayList<>(capacity);
            streamVersions = new ArrayList<>(capacity);
            types = new ArrayList<>(capacity);
            payloads = new ArrayList<>(capacity);
            eventIds = new ArrayList<>(capacity);
            correlationIds = new ArrayList<>(capacity);
            causationIds = new ArrayList<>(capacity);
            recordedAts = new ArrayList<>(capacity);
            metadata = new ArrayList<>(capacity);
            compactionKeys = new ArrayList<>(capacity);
            tombstones = new ArrayList<>(capacity);
        }

        void add(long offset, String streamId, long version, PreparedEvent event) {
            offsets.add(offset);
            streamIds.add(streamId);
            streamVersions.add(version);
            types.add(event.type());
            payloads.add(event.payload());
            eventIds.add(event.eventId());
            correlationIds.add(event.correlationId());
            causationIds.add(event.causationId());
            recordedAts.add(event.recordedAt().toString());
            metadata.add(event.metadataJson());
            compactionKeys.add(event.compactionKey());
            tombstones.add(event.tombstone());
        }

        void recordAppend(String key, List<AppendResult> results, Instant recordedAt) {
            for (int position = 0; position < results.size(); position++) {
                AppendResult result = results.get(position);
                keys.add(key);
                keyPositions.add(position);
                keyStreams.add(result.streamId());
                keyFromOffsets.add(result.fromOffset());
                keyToOffsets.add(result.toOffset());
                keyVersions.add(result.streamVersion());
                keyRecordedAts.add(recordedAt.toString());
            }
        }

        void streamVersion(String streamId, long version) {
            finalVersions.put(streamId, version);
        }

        int size() {
            return offsets.size();
        }

        void write(Connection connection, long newHead) throws SQLException {
            List<Array> arrays = new ArrayList<>(21);
            try (PreparedStatement statement = connection.prepareStatement(WRITE)) {
                int i = 0;
                statement.setArray(++i, array(connection, arrays, "bigint", offsets));
                statement.setArray(++i, array(connection, arrays, "text", streamIds));
                statement.setArray(++i, array(connection, arrays, "bigint", streamVersions));
                statement.setArray(++i, array(connection, arrays, "text", types));
                statement.setArray(++i, array(connection, arrays, "text", payloads));
                statement.setArray(++i, array(connection, arrays, "uuid", eventIds));
                statement.setArray(++i, array(connection, arrays, "text", correlationIds));
                statement.setArray(++i, array(connection, arrays, "text", causationIds));
                statement.setArray(++i, array(connection, arrays, "text", recordedAts));
                statement.setArray(++i, array(connection, arrays, "text", metadata));
                statement.setArray(++i, array(connection, arrays, "text", compactionKeys));
                statement.setArray(++i, array(connection, arrays, "boolean", tombstones));
                statement.setArray(++i, array(connection, arrays, "text", new ArrayList<>(finalVersions.keySet())));
                statement.setArray(++i, array(connection, arrays, "bigint", new ArrayList<>(finalVersions.values())));
                statement.setArray(++i, array(connection, arrays, "text", keys));
                statement.setArray(++i, array(connection, arrays, "integer", keyPositions));
                statement.setArray(++i, array(connection, arrays, "text", keyStreams));
                statement.setArray(++i, array(connection, arrays, "bigint", keyFromOffsets));
                statement.setArray(++i, array(connection, arrays, "bigint", keyToOffsets));
                statement.setArray(++i, array(connection, arrays, "bigint", keyVersions));
                statement.setArray(++i, array(connection, arrays, "text", keyRecordedAts));
                statement.setLong(++i, newHead);
                try (ResultSet rs = statement.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("the log's head row vanished while appending; the Kappa schema is damaged");
                    }
                }
            } finally {
                for (Array array : arrays) {
                    array.free();
                }
            }
        }

        private static Array array(Connection connection, List<Array> arrays, String type, List<?> values)
                throws SQLException {
            Array array = connection.createArrayOf(type, values.toArray());
            arrays.add(array);
            return array;
        }
    }
}
