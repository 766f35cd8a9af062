package dev.kappa.eventstore.internal.read;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.LogShare;
import dev.kappa.eventstore.SharePage;
import dev.kappa.eventstore.StreamAppend;
import dev.kappa.eventstore.internal.RecordedAppend;
import dev.kappa.eventstore.internal.SpringConnections;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Reads the log with plain indexed queries: by offset (the primary key) or by stream and version.
 *
 * <p>Connections come through Spring's {@link DataSourceUtils}, so a read inside a Spring-managed transaction sees
 * that transaction's own appends. Thread-safe.
 */
public final class PostgresEventReader implements EventReader {

    private static final String COLUMNS = """
            log_offset, stream_id, stream_version, event_type, payload, event_id, correlation_id, causation_id,
            recorded_at, metadata, compaction_key, tombstone""";

    private static final String READ_LOG =
            "SELECT " + COLUMNS + " FROM kappa_log WHERE log_offset > ? ORDER BY log_offset LIMIT ?";

    /**
     * The most offsets one share read scans: enough for a full page of a share of the expected size (a page of
     * {@code limit} records per {@code limit * segments} offsets) twice over, but never more than this, so that a
     * sparse share costs a bounded read per call and moves on by its through offset.
     */
    static final long MAX_SHARE_SCAN = 200_000;

    /**
     * A share's records above an offset and up to the lower of the head and the end of the scan, with the head, in
     * one statement and so one snapshot: every record at or below that head is committed (offsets are taken in commit
     * order under the head row's lock), so the read can say how far it got. The stored hash, or the stream id's when
     * a row was written without it; the left join keeps the head's row when the share has no record there.
     */
    private static final String READ_SHARE = """
            WITH head AS (SELECT head FROM kappa_log_head WHERE id = 1)
            SELECT share.*, head.head FROM head LEFT JOIN LATERAL (
                SELECT\s""" + COLUMNS + """
                  FROM kappa_log
                 WHERE log_offset > ? AND log_offset <= least(head.head, ?)
                   AND coalesce(stream_hash, crc32(convert_to(stream_id, 'UTF8'))) % ? = ?
                 ORDER BY log_offset LIMIT ?) share ON true""";

    private static final String READ_STREAM = "SELECT " + COLUMNS
            + " FROM kappa_log WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?";

    private static final String STREAM_VERSION = "SELECT version FROM kappa_streams WHERE stream_id = ?";

    private static final String HEAD = "SELECT head FROM kappa_log_head WHERE id = 1";

    private static final String RECORDED_APPEND = """
            SELECT stream_id, from_offset, to_offset, stream_version, request_fingerprint
              FROM kappa_idempotency WHERE idempotency_key = ? ORDER BY position""";

    private final SpringConnections connections;
    private final StoreSettings settings;

    public PostgresEventReader(DataSource dataSource, StoreSettings settings) {
        this.connections = new SpringConnections(dataSource);
        this.settings = settings;
    }

    @Override
    public List<LogRecord> readStream(String streamId, long fromVersion) {
        return readStream(streamId, fromVersion, Integer.MAX_VALUE);
    }

    @Override
    public List<LogRecord> readStream(String streamId, long fromVersion, int maxCount) {
        StreamAppend.requireValidStreamId(streamId);
        if (fromVersion < 1) {
            throw new IllegalArgumentException("stream versions start at 1, so fromVersion must be at least 1 but was "
                    + fromVersion);
        }
        requirePositive(maxCount, "maxCount");
        return query("read stream '" + streamId + "' from version " + fromVersion, READ_STREAM, statement -> {
            statement.setString(1, streamId);
            statement.setLong(2, fromVersion);
            statement.setLong(3, maxCount);
        });
    }

    @Override
    public long streamVersion(String streamId) {
        StreamAppend.requireValidStreamId(streamId);
        return connections.run("read the version of stream '" + streamId + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(STREAM_VERSION)) {
                statement.setString(1, streamId);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public List<LogRecord> readLog(long afterOffset, int limit) {
        if (afterOffset < 0) {
            throw new IllegalArgumentException("offsets start at 1, so afterOffset must be 0 or more but was "
                    + afterOffset);
        }
        requirePositive(limit, "limit");
        return query("read the log after offset " + afterOffset, READ_LOG, statement -> {
            statement.setLong(1, afterOffset);
            statement.setInt(2, limit);
        });
    }

    @Override
    public SharePage readShare(LogShare share, long afterOffset, int limit) {
        Objects.requireNonNull(share, "share must not be null");
        if (afterOffset < 0) {
            throw new IllegalArgumentException("offsets start at 1, so afterOffset must be 0 or more but was "
                    + afterOffset);
        }
        requirePositive(limit, "limit");
        long scan = Math.max(limit, Math.min(MAX_SHARE_SCAN, (long) limit * share.segments() * 2));
        long scanEnd = afterOffset > Long.MAX_VALUE - scan ? Long.MAX_VALUE : afterOffset + scan;
        return connections.run("read segment " + share.segment() + " of " + share.segments() + " of the log after"
                + " offset " + afterOffset, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(READ_SHARE)) {
                statement.setLong(1, afterOffset);
                statement.setLong(2, scanEnd);
                statement.setLong(3, share.segments());
                statement.setLong(4, share.segment());
                statement.setInt(5, limit);
                try (ResultSet rs = statement.executeQuery()) {
                    List<LogRecord> records = new ArrayList<>();
                    long head = 0;
                    while (rs.next()) {
                        head = rs.getLong(13);
                        rs.getLong(1);
                        if (!rs.wasNull()) {
                            records.add(toRecord(rs));
                        }
                    }
                    long through = records.size() == limit ? records.get(records.size() - 1).offset()
                            : Math.max(afterOffset, Math.min(head, scanEnd));
                    return new SharePage(records, through, head);
                }
            }
        });
    }

    @Override
    public Stream<LogRecord> streamLog(long afterOffset) {
        if (afterOffset < 0) {
            throw new IllegalArgumentException("offsets start at 1, so afterOffset must be 0 or more but was "
                    + afterOffset);
        }
        Iterator<LogRecord> pages = new PageIterator(afterOffset, settings.readPageSize());
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    @Override
    public long head() {
        return connections.run("read the log's head", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(HEAD);
                 ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the log's head row is missing from kappa_log_head; the Kappa schema is"
                            + " damaged");
                }
                return rs.getLong(1);
            }
        });
    }

    @Override
    public Optional<List<AppendResult>> findAppend(String idempotencyKey, String requestFingerprint) {
        StreamAppend.requireValidIdempotencyKey(idempotencyKey);
        if (requestFingerprint != null) {
            StreamAppend.requireValidRequestFingerprint(requestFingerprint);
        }
        Optional<RecordedAppend> recorded = connections.run("look up the append with idempotency key '"
                + idempotencyKey + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(RECORDED_APPEND)) {
                statement.setString(1, idempotencyKey);
                try (ResultSet rs = statement.executeQuery()) {
                    List<AppendResult> results = new ArrayList<>();
                    String fingerprint = null;
                    while (rs.next()) {
                        results.add(new AppendResult(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                        fingerprint = rs.getString(5);
                    }
                    return results.isEmpty() ? Optional.<RecordedAppend>empty()
                            : Optional.of(new RecordedAppend(results, fingerprint));
                }
            }
        });
        return recorded.map(append -> append.answer(idempotencyKey, requestFingerprint));
    }

    private List<LogRecord> query(String what, String sql, Binder binder) {
        return connections.run(what, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                try (ResultSet rs = statement.executeQuery()) {
                    List<LogRecord> records = new ArrayList<>();
                    while (rs.next()) {
                        records.add(toRecord(rs));
                    }
                    return records;
                }
            }
        });
    }

    private LogRecord toRecord(ResultSet rs) throws SQLException {
        String metadataJson = rs.getString(10);
        @SuppressWarnings("unchecked")
        Map<String, String> entries = metadataJson == null ? Map.of()
                : settings.codec().readValue(metadataJson, Map.class);
        EventMetadata metadata = new EventMetadata(rs.getObject(6, UUID.class), rs.getString(7), rs.getString(8),
                rs.getObject(9, OffsetDateTime.class).toInstant(), entries);
        return new LogRecord(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                metadata, rs.getString(11), rs.getBoolean(12));
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Walks the log page by page; holds one page, and no connection, between calls. Not thread-safe. */
    private final class PageIterator implements Iterator<LogRecord> {
        private final int pageSize;
        private long position;
        private List<LogRecord> page = List.of();
        private int index;
        private boolean exhausted;

        PageIterator(long afterOffset, int pageSize) {
            this.position = afterOffset;
            this.pageSize = pageSize;
        }

        @Override
        public boolean hasNext() {
            if (index < page.size()) {
                return true;
            }
            if (exhausted) {
                return false;
            }
            page = readLog(position, pageSize);
            index = 0;
            // a short page means we reached the head as it was; stop there rather than chase new appends forever
            exhausted = page.size() < pageSize;
            return !page.isEmpty();
        }

        @Override
        public LogRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more records after offset " + position);
            }
            LogRecord record = page.get(index++);
            position = record.offset();
            return record;
        }
    }
}
