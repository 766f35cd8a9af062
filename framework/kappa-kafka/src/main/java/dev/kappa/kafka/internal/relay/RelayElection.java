package dev.kappa.kafka.internal.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects the fleet's relay with a PostgreSQL session advisory lock, keyed by the transactional id, held on a connection
 * of its own for as long as this instance relays.
 *
 * <p>Why a session lock rather than a lease row: it needs no table and no clock, and it frees itself the moment its
 * holder's connection ends, whether the holder closed, crashed or was killed with SIGKILL, so a standby takes over
 * within its next try instead of after a lease's expiry; a relay that loses its connection learns it at its next
 * check (at most a second later) and stops. In the window between the two, Kafka's fencing keeps the topics right: the
 * new relay's {@code initTransactions} fences the old producer, whose next commit fails. It does not work through a
 * pooler that shares sessions between clients (PgBouncer in transaction mode): give the relay's data source a direct
 * connection.
 *
 * <p>Not thread-safe: used by the relay's thread only.
 */
final class RelayElection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayElection.class);

    /** The first key of the lock, "KAPR" in ASCII, so that it is unlikely to collide with an application's own. */
    static final int LOCK_CLASS = 0x4B415052;

    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?, ?)";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(?, ?)";
    private static final String HOLDS_LOCK = """
            SELECT count(*) FROM pg_locks
             WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
               AND classid = ?::int::oid AND objid = ?::int::oid AND objsubid = 2""";
    private static final int CHECK_TIMEOUT_SECONDS = 5;

    private final DataSource dataSource;
    private final int lockKey;
    private final boolean elect;
    private Connection connection;

    /**
     * @param elect whether to elect at all; without election every instance relays (only tests do that, to see two
     *              relays fence each other)
     */
    RelayElection(DataSource dataSource, String transactionalId, boolean elect) {
        this.dataSource = dataSource;
        // String.hashCode is specified, so every instance of the fleet computes the same key
        this.lockKey = transactionalId.hashCode();
        this.elect = elect;
    }

    /** Whether this instance is the relay: it holds the lock already, or it just took it. */
    boolean tryAcquire() throws SQLException {
        if (!elect) {
            return true;
        }
        if (connection != null) {
            if (holds()) {
                return true;
            }
            closeConnection();
        }
        Connection candidate = dataSource.getConnection();
        boolean acquired = false;
        try {
            candidate.setAutoCommit(true);
            try (PreparedStatement statement = candidate.prepareStatement(TRY_LOCK)) {
                statement.setQueryTimeout(CHECK_TIMEOUT_SECONDS);
                statement.setInt(1, LOCK_CLASS);
                statement.setInt(2, lockKey);
                try (ResultSet rs = statement.executeQuery()) {
                    acquired = rs.next() && rs.getBoolean(1);
                }
            }
        } finally {
            if (acquired) {
                connection = candidate;
            } else {
                candidate.close();
            }
        }
        return acquired;
    }

    /**
     * Checks that the lock is still held.
     *
     * @throws LeaseLostException if it is not, or its connection is gone
     */
    void verifyHeld() {
        if (!elect) {
            return;
        }
        boolean held;
        try {
            held = connection != null && holds();
        } catch (SQLException e) {
            closeConnection();
            throw new LeaseLostException("the relay's election lock was lost with its PostgreSQL connection ("
                    + e.getMessage() + ")", e);
        }
        if (!held) {
            closeConnection();
            throw new LeaseLostException("the relay's election lock is no longer held", null);
        }
    }

    private boolean holds() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(HOLDS_LOCK)) {
            statement.setQueryTimeout(CHECK_TIMEOUT_SECONDS);
            statement.setInt(1, LOCK_CLASS);
            statement.setInt(2, lockKey);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            closeConnection();
            throw e;
        }
    }

    /** Gives the lock up, so that a standby takes over at its next try. */
    @Override
    public void close() {
        if (connection == null) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(UNLOCK)) {
            statement.setQueryTimeout(CHECK_TIMEOUT_SECONDS);
            statement.setInt(1, LOCK_CLASS);
            statement.setInt(2, lockKey);
            statement.execute();
        } catch (SQLException e) {
            // the lock goes with the connection, closed next
            log.debug("could not unlock the relay's election lock; closing its connection releases it", e);
        }
        closeConnection();
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the relay's election connection failed", e);
        }
        connection = null;
    }

    /** This instance no longer holds the relay's election lock: it must stop relaying and stand for election again. */
    static final class LeaseLostException extends RuntimeException {

        LeaseLostException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
