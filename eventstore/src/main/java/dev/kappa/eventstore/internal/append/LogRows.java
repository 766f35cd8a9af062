package dev.kappa.eventstore.internal.append;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.postgresql.PGConnection;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.LogShare;

/**
 * The rows one batch writes — log records, the streams' new versions, idempotency keys — column by column, bound to
 * {@link LogWriter}'s statements as one array per column, or sent to the log by {@code COPY}.
 *
 * <p>Not thread-safe: one batch, one thread.
 */
final class LogRows {

    /** From this many records on, the log's rows go by {@code COPY}: it parses rows faster than arrays of text. */
    static final int COPY_THRESHOLD = 64;

    private static final String COPY_LOG = """
            COPY kappa_log (log_offset, stream_id, stream_version, event_type, payload, event_id, correlation_id,
                            causation_id, recorded_at, metadata, compaction_key, tombstone, stream_hash) FROM STDIN""";

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
    private final List<Long> streamHashes;
    private final Map<String, Long> finalVersions = new LinkedHashMap<>();
    private final List<String> keys = new ArrayList<>();
    private final List<Integer> keyPositions = new ArrayList<>();
    private final List<String> keyStreams = new ArrayList<>();
    private final List<Long> keyFromOffsets = new ArrayList<>();
    private final List<Long> keyToOffsets = new ArrayList<>();
    private final List<Long> keyVersions = new ArrayList<>();
    private final List<String> keyRecordedAts = new ArrayList<>();
    private final List<String> keyFingerprints = new ArrayList<>();
    private final List<Array> arrays = new ArrayList<>();

    LogRows(int capacity) {
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
        streamHashes = new ArrayList<>(capacity);
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
        // a stream's events come one after another: hash its id once
        int previous = streamIds.size() - 2;
        streamHashes.add(previous >= 0 && streamIds.get(previous).equals(streamId) ? streamHashes.get(previous)
                : LogShare.streamHash(streamId));
    }

    void recordAppend(String key, String requestFingerprint, List<AppendResult> results, Instant recordedAt) {
        for (int position = 0; position < results.size(); position++) {
            AppendResult result = results.get(position);
            keys.add(key);
            keyPositions.add(position);
            keyStreams.add(result.streamId());
            keyFromOffsets.add(result.fromOffset());
            keyToOffsets.add(result.toOffset());
            keyVersions.add(result.streamVersion());
            keyRecordedAts.add(recordedAt.toString());
            keyFingerprints.add(requestFingerprint);
        }
    }

    void streamVersion(String streamId, long version) {
        finalVersions.put(streamId, version);
    }

    int size() {
        return offsets.size();
    }

    /** The records' event ids, in offset order. */
    List<UUID> eventIds() {
        return List.copyOf(eventIds);
    }

    /** Whether the log's rows should go by {@link #copyLog}: many of them, on a connection that can. */
    boolean copies(Connection connection) throws SQLException {
        return size() >= COPY_THRESHOLD && connection.isWrapperFor(PGConnection.class);
    }

    /** Binds the log's thirteen columns from {@code index + 1} on; returns the last index bound. */
    int bindLog(Connection connection, PreparedStatement statement, int index) throws SQLException {
        int i = index;
        statement.setArray(++i, array(connection, "bigint", offsets));
        statement.setArray(++i, array(connection, "text", streamIds));
        statement.setArray(++i, array(connection, "bigint", streamVersions));
        statement.setArray(++i, array(connection, "text", types));
        statement.setArray(++i, array(connection, "text", payloads));
        statement.setArray(++i, array(connection, "uuid", eventIds));
        statement.setArray(++i, array(connection, "text", correlationIds));
        statement.setArray(++i, array(connection, "text", causationIds));
        statement.setArray(++i, array(connection, "text", recordedAts));
        statement.setArray(++i, array(connection, "text", metadata));
        statement.setArray(++i, array(connection, "text", compactionKeys));
        statement.setArray(++i, array(connection, "boolean", tombstones));
        statement.setArray(++i, array(connection, "bigint", streamHashes));
        return i;
    }

    /** Binds the streams' ids and new versions from {@code index + 1} on; returns the last index bound. */
    int bindStreams(Connection connection, PreparedStatement statement, int index) throws SQLException {
        int i = index;
        statement.setArray(++i, array(connection, "text", new ArrayList<>(finalVersions.keySet())));
        statement.setArray(++i, array(connection, "bigint", new ArrayList<>(finalVersions.values())));
        return i;
    }

    /** Binds the idempotency keys' eight columns from {@code index + 1} on; returns the last index bound. */
    int bindKeys(Connection connection, PreparedStatement statement, int index) throws SQLException {
        int i = index;
        statement.setArray(++i, array(connection, "text", keys));
        statement.setArray(++i, array(connection, "integer", keyPositions));
        statement.setArray(++i, array(connection, "text", keyStreams));
        statement.setArray(++i, array(connection, "bigint", keyFromOffsets));
        statement.setArray(++i, array(connection, "bigint", keyToOffsets));
        statement.setArray(++i, array(connection, "bigint", keyVersions));
        statement.setArray(++i, array(connection, "text", keyRecordedAts));
        statement.setArray(++i, array(connection, "text", keyFingerprints));
        return i;
    }

    /** Frees the arrays bound so far. */
    void freeArrays() throws SQLException {
        for (Array array : arrays) {
            array.free();
        }
        arrays.clear();
    }

    /** Writes the log's rows with {@code COPY … FROM STDIN}, in the caller's transaction. */
    void copyLog(Connection connection) throws SQLException {
        StringBuilder text = new StringBuilder(size() * 200);
        for (int row = 0; row < size(); row++) {
            text.append(offsets.get(row)).append('\t');
            appendText(text, streamIds.get(row)).append('\t');
            text.append(streamVersions.get(row)).append('\t');
            appendText(text, types.get(row)).append('\t');
            appendText(text, payloads.get(row)).append('\t');
            text.append(eventIds.get(row)).append('\t');
            appendText(text, correlationIds.get(row)).append('\t');
            appendText(text, causationIds.get(row)).append('\t');
            text.append(recordedAts.get(row)).append('\t');
            appendText(text, metadata.get(row)).append('\t');
            appendText(text, compactionKeys.get(row)).append('\t');
            text.append(tombstones.get(row) ? 't' : 'f').append('\t');
            text.append(streamHashes.get(row)).append('\n');
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_LOG, new StringReader(text.toString()));
        } catch (IOException e) {
            // a StringReader does not fail: this is the connection's own I/O, reported as such
            throw new SQLException("could not send the log's rows by COPY: " + e.getMessage(), "08006", e);
        }
    }

    /** A value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped. */
    private static StringBuilder appendText(StringBuilder text, String value) {
        if (value == null) {
            return text.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
        return text;
    }

    private Array array(Connection connection, String type, List<?> values) throws SQLException {
        Array array = connection.createArrayOf(type, values.toArray());
        arrays.add(array);
        return array;
    }
}
