package dev.kappa.eventstore.internal.compaction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.CompactionResult;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.LogCompactor;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Compacts the log in PostgreSQL, incrementally: it remembers how far it got ({@code kappa_compaction}), and each
 * run looks only at the keyed records appended since, deleting every older record of their keys. Work is split into
 * chunks of offsets, each its own transaction, so a large log never makes one huge delete.
 *
 * <p>Safe beside readers and writers: deletes touch only records that a later committed record supersedes, and
 * offsets never change. A session advisory lock keeps a second compactor (in this or another process) out; it is
 * released when the run ends or its connection drops.
 *
 * <p>Thread-safe: each run uses a connection of its own.
 */
public final class PostgresLogCompactor implements LogCompactor {

    private static final Logger log = LoggerFactory.getLogger(PostgresLogCompactor.class);

    /** The advisory lock key: "KAPC" in ASCII, so that it is unlikely to collide with an application's own. */
    private static final long LOCK_KEY = 0x4B415043L;
    private static final long CHUNK_OFFSETS = 100_000;
    /**
     * The earliest time PostgreSQL's {@code timestamptz} holds (4714 BC), so no record is older: a retention reaching
     * back past it ({@code ChronoUnit.FOREVER.getDuration()}, say) keeps every tombstone.
     */
    private static final Instant EARLIEST_RECORD_TIME = Instant.parse("-4713-11-24T00:00:00Z");

    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?)";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(?)";
    private static final String HEAD = "SELECT head FROM kappa_log_head WHERE id = 1";
    private static final String COMPACTED_THROUGH = "SELECT compacted_through FROM kappa_compaction WHERE id = 1";
    private static final String SET_COMPACTED_THROUGH = "UPDATE kappa_compaction SET compacted_through = ? WHERE id = 1";

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
                CompactionResult result = compact(connection);
                if (result.totalRemoved() > 0) {
                    log.info("compacted the log through offset {}: removed {} superseded records and {} expired"
                                    + " tombstones in {} ms", result.compactedThrough(), result.supersededRemoved(),
                            result.tombstonesRemoved(), (System.nanoTime() - started) / 1_000_000);
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
        Instant now = settings.clock().instant();
        Duration retention = settings.tombstoneRetention();
        if (retention.compareTo(Duration.between(EARLIEST_RECORD_TIME, now)) >= 0) {
            // no record can be that old; now.minus(retention) might not even be an Instant
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(REMOVE_EXPIRED_TOMBSTONES)) {
            statement.setLong(1, through);
            statement.setObject(2, OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC));
            return statement.executeUpdate();
        }
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
