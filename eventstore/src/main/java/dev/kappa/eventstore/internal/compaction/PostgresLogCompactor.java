package dev.kappa.eventstore.internal.compaction;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.CompactionResult;
import dev.kappa.eventstore.CompactionRun;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.LogCompactor;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Compacts the log in PostgreSQL, incrementally: it remembers how far it got ({@code kappa_compaction}), and each
 * run looks only at the keyed records appended since, deleting every older record of their keys. Work is split into
 * chunks of offsets, each its own transaction, so a large log never makes one huge delete. Each run also removes the
 * idempotency keys recorded before the idempotency retention, in chunks of keys.
 *
 * <p>Safe beside readers and writers: deletes touch only records that a later committed record supersedes, and
 * offsets never change. A session advisory lock keeps a second compactor (in this or another process) out; it is
 * released when the run ends or its connection drops.
 *
 * <p>Each run that does its work records itself in {@code kappa_compaction} (when it finished, how long it took, what
 * it removed, and who ran it: its connection's {@code application_name}, else "pid@host"), so that {@link #lastRun()} answers the same in
 * every process on the database.
 *
 * <p>Thread-safe: each run uses a connection of its own.
 */
public final class PostgresLogCompactor implements LogCompactor {

    private static final Logger log = LoggerFactory.getLogger(PostgresLogCompactor.class);

    /** The advisory lock key: "KAPC" in ASCII, so that it is unlikely to collide with an application's own. */
    private static final long LOCK_KEY = 0x4B415043L;
    private static final long CHUNK_OFFSETS = 100_000;
    private static final int CHUNK_KEYS = 10_000;
    /**
     * The earliest time PostgreSQL's {@code timestamptz} holds (4714 BC), so no record is older: a retention reaching
     * back past it ({@code ChronoUnit.FOREVER.getDuration()}, say) keeps every tombstone.
     */
    private static final Instant EARLIEST_RECORD_TIME = Instant.parse("-4713-11-24T00:00:00Z");

    /**
     * What names this process where its connections have no application name of their own (pgjdbc's default is
     * none): "pid@host", which the projection runtime's default instance id begins with.
     */
    private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();

    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?)";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(?)";
    private static final String HEAD = "SELECT head FROM kappa_log_head WHERE id = 1";
    private static final String COMPACTED_THROUGH = "SELECT compacted_through FROM kappa_compaction WHERE id = 1";
    private static final String SET_COMPACTED_THROUGH = "UPDATE kappa_compaction SET compacted_through = ? WHERE id = 1";

    private static final String RECORD_RUN = """
            UPDATE kappa_compaction
               SET last_run_finished_at = ?, last_run_millis = ?, last_superseded_removed = ?,
                   last_tombstones_removed = ?, last_keys_expired = ?, last_compacted_through = ?,
                   last_run_by = coalesce(nullif(nullif(current_setting('application_name', true), ''),
                                                 'PostgreSQL JDBC Driver'), ?)
             WHERE id = 1""";

    private static final String LAST_RUN = """
            SELECT last_run_finished_at, last_run_millis, last_superseded_removed, last_tombstones_removed,
                   last_keys_expired, last_compacted_through, last_run_by
              FROM kappa_compaction
             WHERE id = 1 AND last_run_finished_at IS NOT NULL""";

    /* The first entry of the partial index on keyed records, if any: a log without keyed records costs nothing. */
    private static final String HAS_KEYED_RECORDS =
            "SELECT EXISTS (SELECT 1 FROM kappa_log WHERE compaction_key IS NOT NULL)";

    /* For every key that appears in the chunk, delete all its records older than its latest one in the chunk. */
    private static final String REMOVE_SUPERSEDED = """
            DELETE FROM kappa_log older
            USING (SELECT compaction_key, max(log_offset) AS latest
                     FROM kappa_log
                    WHERE log_offset > ? AND log_offset <= ? AND compaction_key IS NOT NULL
                    GROUP BY compaction_key) newer
            WHERE older.compaction_key = newer.compaction_key
              AND older.log_offset < newer.latest
            """;

    /*
     * A tombstone past retention goes, with whatever is left of its key below it; one that a later record of its key
     * supersedes is left to REMOVE_SUPERSEDED. Only tombstones already compacted past are considered, so the earlier
     * records of their keys are gone before them and cannot reappear.
     */
    private static final String REMOVE_EXPIRED_TOMBSTONES = """
            DELETE FROM kappa_log doomed
            USING (SELECT t.compaction_key, t.log_offset
                     FROM kappa_log t
                    WHERE t.tombstone
                      AND t.log_offset <= ?
                      AND t.recorded_at < ?
                      AND NOT EXISTS (SELECT 1 FROM kappa_log n
                                       WHERE n.compaction_key = t.compaction_key AND n.log_offset > t.log_offset)
                  ) expired
            WHERE doomed.compaction_key = expired.compaction_key
              AND doomed.log_offset <= expired.log_offset
            """;

    /*
     * A chunk of expired idempotency keys, each with all its rows (one per stream of its append, all recorded at once),
     * so that a retry never finds part of a key's results. Counts the keys by their first row.
     */
    private static final String REMOVE_EXPIRED_KEYS = """
            WITH expired AS (
                SELECT DISTINCT idempotency_key FROM kappa_idempotency WHERE recorded_at < ? LIMIT ?
            ), removed AS (
                DELETE FROM kappa_idempotency k USING expired e WHERE k.idempotency_key = e.idempotency_key
                RETURNING k.position
            )
            SELECT count(*) FILTER (WHERE position = 0) FROM removed
            """;

    private final DataSource dataSource;
    private final StoreSettings settings;

    public PostgresLogCompactor(DataSource dataSource, StoreSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    @Override
    public CompactionResult compact() {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (!tryLock(connection)) {
                log.debug("compaction skipped: another compaction is running");
                return new CompactionResult(0, 0, queryLong(connection, COMPACTED_THROUGH), true);
            }
            try {
                connection.setAutoCommit(false);
                CompactionResult compacted = compact(connection);
                long keys = removeExpiredKeys(connection);
                CompactionResult result = new CompactionResult(compacted.supersededRemoved(),
                        compacted.tombstonesRemoved(), keys, compacted.compactedThrough(), false);
                recordRun(connection, result, Duration.ofNanos(System.nanoTime() - started));
                if (result.totalRemoved() > 0 || keys > 0) {
                    log.info("compacted the log through offset {}: removed {} superseded records, {} expired"
                                    + " tombstones and {} expired idempotency keys in {} ms", result.compactedThrough(),
                            result.supersededRemoved(), result.tombstonesRemoved(), keys,
                            (System.nanoTime() - started) / 1_000_000);
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
                unlock(connection);
            }
        } catch (SQLException e) {
            throw new EventStoreException("compaction failed: " + e.getMessage() + "; what it removed before the"
                    + " failure stays removed, and the next run carries on from there", e);
        }
    }

    @Override
    public Optional<CompactionRun> lastRun() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(LAST_RUN);
             ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            CompactionResult result = new CompactionResult(rs.getLong("last_superseded_removed"),
                    rs.getLong("last_tombstones_removed"), rs.getLong("last_keys_expired"),
                    rs.getLong("last_compacted_through"), false);
            return Optional.of(new CompactionRun(rs.getObject("last_run_finished_at", OffsetDateTime.class).toInstant(),
                    Duration.ofMillis(rs.getLong("last_run_millis")), result, rs.getString("last_run_by")));
        } catch (SQLException e) {
            throw new EventStoreException("could not read the last compaction run: " + e.getMessage()
                    + "; check that the database is reachable and its Kappa schema migrated", e);
        }
    }

    /** Records the run as the last one, finished now by the store's clock, in a transaction of its own. */
    private void recordRun(Connection connection, CompactionResult result, Duration took) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RECORD_RUN)) {
            statement.setObject(1, OffsetDateTime.ofInstant(settings.clock().instant(), ZoneOffset.UTC));
            statement.setLong(2, took.toMillis());
            statement.setLong(3, result.supersededRemoved());
            statement.setLong(4, result.tombstonesRemoved());
            statement.setLong(5, result.idempotencyKeysExpired());
            statement.setLong(6, result.compactedThrough());
            statement.setString(7, PROCESS);
            statement.executeUpdate();
        }
        connection.commit();
    }

    private CompactionResult compact(Connection connection) throws SQLException {
        long head = queryLong(connection, HEAD);
        long through = queryLong(connection, COMPACTED_THROUGH);
        if (!queryBoolean(connection, HAS_KEYED_RECORDS)) {
            // nothing can be superseded or expire: the log is compacted as far as it goes
            update(connection, SET_COMPACTED_THROUGH, head);
            connection.commit();
            return new CompactionResult(0, 0, head, false);
        }
        connection.commit();
        long superseded = 0;
        while (through < head) {
            long upTo = Math.min(head, through + CHUNK_OFFSETS);
            superseded += update(connection, REMOVE_SUPERSEDED, through, upTo);
            update(connection, SET_COMPACTED_THROUGH, upTo);
            connection.commit();
            through = upTo;
        }
        long tombstones = removeExpiredTombstones(connection, through);
        connection.commit();
        return new CompactionResult(superseded, tombstones, through, false);
    }

    private long removeExpiredTombstones(Connection connection, long through) throws SQLException {
        OffsetDateTime cutoff = cutoff(settings.tombstoneRetention());
        if (cutoff == null) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(REMOVE_EXPIRED_TOMBSTONES)) {
            statement.setLong(1, through);
            statement.setObject(2, cutoff);
            return statement.executeUpdate();
        }
    }

    /** Removes the idempotency keys recorded before the retention, a chunk per transaction; returns how many. */
    private long removeExpiredKeys(Connection connection) throws SQLException {
        OffsetDateTime cutoff = cutoff(settings.idempotencyRetention());
        if (cutoff == null) {
            return 0;
        }
        long removed = 0;
        try (PreparedStatement statement = connection.prepareStatement(REMOVE_EXPIRED_KEYS)) {
            statement.setObject(1, cutoff);
            statement.setInt(2, CHUNK_KEYS);
            long chunk;
            do {
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    chunk = rs.getLong(1);
                }
                connection.commit();
                removed += chunk;
            } while (chunk == CHUNK_KEYS);
        }
        return removed;
    }

    /** The time before which what is kept for {@code retention} has expired, or {@code null} if nothing can have. */
    private OffsetDateTime cutoff(Duration retention) {
        Instant now = settings.clock().instant();
        if (retention.compareTo(Duration.between(EARLIEST_RECORD_TIME, now)) >= 0) {
            // nothing can be that old; now.minus(retention) might not even be an Instant
            return null;
        }
        return OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC);
    }

    /** Rolls back after {@code failure}, keeping a rollback failure as suppressed rather than losing the first. */
    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(TRY_LOCK)) {
            statement.setLong(1, LOCK_KEY);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UNLOCK)) {
            statement.setLong(1, LOCK_KEY);
            statement.execute();
        }
    }

    private static long queryLong(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("no row for: " + sql + "; the Kappa schema is damaged");
            }
            return rs.getLong(1);
        }
    }

    private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static int update(Connection connection, String sql, long... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setLong(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
