package dev.kappa.eventstore.internal.append;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.ConcurrencyException;
import dev.kappa.eventstore.IdempotencyKeyReusedException;
import dev.kappa.eventstore.internal.LogChannel;
import dev.kappa.eventstore.internal.RecordedAppend;

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
 * answered with the first append's results and writes nothing, or refused if the two carry different request
 * fingerprints; a new key is recorded with the events. The head lock makes this check exact across processes.
 *
 * <p>{@link #planAtKnownHead} and {@link #writePlanned} are the group committer's fast path: when it knows the
 * version of every stream in the batch as of the head it last committed, it decides on those and writes in one
 * statement whose first step advances the head only if it is still that head. The head row's lock is taken by that
 * update and held to the commit, as on the full path; if the head has moved (another process or transaction
 * appended), nothing is written and the caller takes the full path. Every append advances the head, so an unmoved
 * head proves the known versions current.
 *
 * <p>Stateless and thread-safe; the connection is the caller's.
 */
final class LogWriter {

    private static final String LOCK_HEAD = "SELECT head FROM kappa_log_head WHERE id = 1 FOR UPDATE";

    private static final String STREAM_VERSIONS = "SELECT stream_id, version FROM kappa_streams WHERE stream_id = ANY (?)";

    private static final String RECORDED_APPENDS = """
            SELECT idempotency_key, stream_id, from_offset, to_offset, stream_version, request_fingerprint
              FROM kappa_idempotency WHERE idempotency_key = ANY (?) ORDER BY idempotency_key, position""";

    /** The log's rows, one array per column. */
    private static final String INSERT_LOG = """
            INSERT INTO kappa_log (log_offset, stream_id, stream_version, event_type, payload, event_id,
                                   correlation_id, causation_id, recorded_at, metadata, compaction_key, tombstone,
                                   stream_hash)
            SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[]::jsonb[], ?::uuid[],
                                 ?::text[], ?::text[], ?::text[]::timestamptz[], ?::text[]::jsonb[], ?::text[],
                                 ?::boolean[], ?::bigint[])""";

    /** The streams' new versions. */
    private static final String UPSERT_STREAMS = """
            INSERT INTO kappa_streams (stream_id, version)
            SELECT * FROM unnest(?::text[], ?::bigint[])""";

    /** The last step of every write: notify the new head, which PostgreSQL delivers at commit. */
    private static final String NOTIFY_HEAD = "SELECT pg_notify('" + LogChannel.NAME + "', head::text) FROM advanced\n";

    private static final String ON_STREAM_CONFLICT = " ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version";

    /**
     * How every full-path write ends: the streams' versions, the idempotency keys and the new head, and the
     * notification (delivered by PostgreSQL at commit).
     */
    private static final String VERSIONS_KEYS_HEAD = "versions AS (" + UPSERT_STREAMS + ON_STREAM_CONFLICT + """
            ), keys AS (
                INSERT INTO kappa_idempotency (idempotency_key, position, stream_id, from_offset, to_offset,
                                               stream_version, recorded_at, request_fingerprint)
                SELECT * FROM unnest(?::text[], ?::integer[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[],
                                     ?::text[]::timestamptz[], ?::text[])
            ), advanced AS (
                UPDATE kappa_log_head SET head = ? WHERE id = 1 RETURNING head
            )
            """ + NOTIFY_HEAD;

    /* One round trip writes the events, the streams' new versions and the new head. Arrays carry the whole batch. */
    private static final String WRITE = "WITH appended AS (" + INSERT_LOG + "), " + VERSIONS_KEYS_HEAD;

    /** What follows a COPY of the log's rows: WRITE without the log's insert. */
    private static final String WRITE_AFTER_COPY = "WITH " + VERSIONS_KEYS_HEAD;

    /*
     * The fast path's statement: the same writes as WRITE, each on condition that the first step, which takes the head
     * row's lock, found the head where the writer left it. An UPDATE that waited for the lock re-checks its condition
     * on the row as the other transaction committed it, so a moved head is always seen.
     */
    private static final String WRITE_AT_HEAD = """
            WITH advanced AS (
                UPDATE kappa_log_head SET head = ? WHERE id = 1 AND head = ? RETURNING head
            ), appended AS (""" + INSERT_LOG + """
             WHERE EXISTS (SELECT 1 FROM advanced)
            ), versions AS (""" + UPSERT_STREAMS + " WHERE EXISTS (SELECT 1 FROM advanced)" + ON_STREAM_CONFLICT + """
            )
            """ + NOTIFY_HEAD;

    /**
     * Whether any of a batch's records is in the log. Compaction could have removed them all only if later records
     * with the same keys had been appended and compacted since; the writer asks within moments of losing the batch.
     */
    private static final String LANDED = """
            SELECT EXISTS (SELECT 1 FROM kappa_log WHERE log_offset > ? AND log_offset <= ? AND event_id = ANY (?))""";

    /** The fast path's first step before a COPY: take the head row's lock if the head is still where it was. */
    private static final String ADVANCE_HEAD_IF_AT = "UPDATE kappa_log_head SET head = ? WHERE id = 1 AND head = ?";

    /** Writes the batch on the full path: lock the head, read the versions and keys, decide, write. */
    WrittenBatch write(Connection connection, List<PreparedAppend> appends) throws SQLException {
        long head = lockHead(connection);
        Map<String, Long> versions = currentVersions(connection, appends);
        Map<String, RecordedAppend> recorded = recordedAppends(connection, appends);
        LogRows rows = new LogRows(appends.stream().mapToInt(PreparedAppend::eventCount).sum());
        List<AppendOutcome> outcomes = decide(appends, head, versions, recorded, rows);
        long newHead = head + rows.size();
        if (rows.size() > 0) {
            boolean copied = rows.copies(connection);
            if (copied) {
                rows.copyLog(connection);
            }
            boolean written = execute(connection, copied ? WRITE_AFTER_COPY : WRITE, rows, (statement, i) -> {
                if (!copied) {
                    i = rows.bindLog(connection, statement, i);
                }
                i = rows.bindKeys(connection, statement, rows.bindStreams(connection, statement, i));
                statement.setLong(++i, newHead);
            });
            if (!written) {
                throw new SQLException("the log's head row vanished while appending; the Kappa schema is damaged");
            }
        }
        return new WrittenBatch(outcomes, head, newHead, versions);
    }

    /**
     * Plans the batch for the fast path, deciding on {@code known}: the versions of all its streams when the head was
     * {@code knownHead} (updated in place as appends are accepted). Returns {@code null} if an append carries an
     * idempotency key (those need the full path's look-up) or if every append is rejected (a conflict the known
     * versions alone cannot confirm); the caller then takes the full path.
     */
    PlannedWrite planAtKnownHead(List<PreparedAppend> appends, long knownHead, Map<String, Long> known) {
        for (PreparedAppend append : appends) {
            if (append.idempotencyKey() != null) {
                return null;
            }
        }
        LogRows rows = new LogRows(appends.stream().mapToInt(PreparedAppend::eventCount).sum());
        List<AppendOutcome> outcomes = decide(appends, knownHead, known, new HashMap<>(), rows);
        if (rows.size() == 0) {
            return null;
        }
        return new PlannedWrite(new WrittenBatch(outcomes, knownHead, knownHead + rows.size(), known), rows);
    }

    /**
     * Writes a planned batch inside the caller's transaction, or in one statement that is its own transaction if the
     * connection is in auto-commit (the group committer's way for small batches: no COMMIT round trip). Returns
     * whether it wrote: nothing is written if the head is no longer where the plan found it.
     */
    boolean writePlanned(Connection connection, PlannedWrite plan) throws SQLException {
        LogRows rows = plan.rows();
        long knownHead = plan.batch().headBefore();
        long newHead = plan.batch().headAfter();
        if (rows.copies(connection)) {
            if (connection.getAutoCommit()) {
                throw new IllegalStateException("a COPY batch needs a transaction: it takes several statements");
            }
            if (!advanceHeadIfAt(connection, knownHead, newHead)) {
                return false;
            }
            rows.copyLog(connection);
            // no idempotency keys on this path: their arrays are empty
            execute(connection, WRITE_AFTER_COPY, rows, (statement, i) -> {
                i = rows.bindKeys(connection, statement, rows.bindStreams(connection, statement, i));
                statement.setLong(++i, newHead);
            });
            return true;
        }
        return execute(connection, WRITE_AT_HEAD, rows, (statement, i) -> {
            statement.setLong(++i, newHead);
            statement.setLong(++i, knownHead);
            rows.bindStreams(connection, statement, rows.bindLog(connection, statement, i));
        });
    }

    /**
     * Whether a planned batch whose statement was cut off with its connection landed: any of its records is in the
     * log at its offset. Ask only once the session that sent it is gone, so that the answer cannot change.
     */
    boolean landed(Connection connection, PlannedWrite plan) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LANDED)) {
            statement.setLong(1, plan.batch().headBefore());
            statement.setLong(2, plan.batch().headAfter());
            return withArray(connection, "uuid", plan.rows().eventIds(), ids -> {
                statement.setArray(3, ids);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            });
        }
    }

    /** A use of a SQL array, which {@link #withArray} frees after it. */
    @FunctionalInterface
    private interface ArrayUse<T> {
        T apply(Array array) throws SQLException;
    }

    /** Creates a SQL array of {@code values}, hands it to {@code use} and frees it, whatever happens. */
    private static <T> T withArray(Connection connection, String type, List<?> values, ArrayUse<T> use)
            throws SQLException {
        Array array = connection.createArrayOf(type, values.toArray());
        try {
            return use.apply(array);
        } finally {
            array.free();
        }
    }

    /** Binds a statement's parameters after the given index. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement, int index) throws SQLException;
    }

    /** Runs one of the writing statements; returns whether it wrote (whether its head update found its row). */
    private static boolean execute(Connection connection, String sql, LogRows rows, Binder binder)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement, 0);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        } finally {
            rows.freeArrays();
        }
    }

    private static boolean advanceHeadIfAt(Connection connection, long knownHead, long newHead) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ADVANCE_HEAD_IF_AT)) {
            statement.setLong(1, newHead);
            statement.setLong(2, knownHead);
            return statement.executeUpdate() == 1;
        }
    }

    /**
     * Decides each append on the versions and recorded keys given (both updated as appends are accepted), and
     * stages the rows of those accepted, with offsets from {@code head + 1}.
     */
    private static List<AppendOutcome> decide(List<PreparedAppend> appends, long head, Map<String, Long> versions,
                                              Map<String, RecordedAppend> recorded, LogRows rows) {
        List<AppendOutcome> outcomes = new ArrayList<>(appends.size());
        for (PreparedAppend append : appends) {
            RecordedAppend earlier = append.idempotencyKey() == null ? null : recorded.get(append.idempotencyKey());
            if (earlier != null) {
                outcomes.add(earlier.repeatedBy(append.requestFingerprint())
                        ? AppendOutcome.alreadyAppended(earlier.results())
                        : AppendOutcome.refused(new IdempotencyKeyReusedException(append.idempotencyKey())));
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
                recorded.put(append.idempotencyKey(), new RecordedAppend(results, append.requestFingerprint()));
                rows.recordAppend(append.idempotencyKey(), append.requestFingerprint(), results,
                        append.streams().get(0).events().get(0).recordedAt());
            }
            outcomes.add(AppendOutcome.appended(results));
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
        try (PreparedStatement statement = connection.prepareStatement(STREAM_VERSIONS)) {
            return withArray(connection, "text", streamIds, ids -> {
                statement.setArray(1, ids);
                Map<String, Long> versions = new HashMap<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        versions.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return versions;
            });
        }
    }

    private static Map<String, RecordedAppend> recordedAppends(Connection connection, List<PreparedAppend> appends)
            throws SQLException {
        List<String> keys = new ArrayList<>();
        for (PreparedAppend append : appends) {
            if (append.idempotencyKey() != null) {
                keys.add(append.idempotencyKey());
            }
        }
        Map<String, RecordedAppend> recorded = new HashMap<>();
        if (!keys.isEmpty()) {
            recorded.putAll(readRecordedAppends(connection, keys));
        }
        return recorded;
    }

    private static Map<String, RecordedAppend> readRecordedAppends(Connection connection, List<String> keys)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RECORDED_APPENDS)) {
            return withArray(connection, "text", keys, array -> {
                statement.setArray(1, array);
                Map<String, List<AppendResult>> results = new HashMap<>();
                Map<String, String> fingerprints = new HashMap<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString(1);
                        results.computeIfAbsent(key, k -> new ArrayList<>()).add(
                                new AppendResult(rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                        fingerprints.putIfAbsent(key, rs.getString(6));
                    }
                }
                Map<String, RecordedAppend> recorded = new HashMap<>();
                results.forEach((key, list) -> recorded.put(key, new RecordedAppend(list, fingerprints.get(key))));
                return recorded;
            });
        }
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
}
