package dev.kappa.eventstore.internal.append;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL session (backend) behind the log writer's connection, known by process id and start time: a process
 * id alone may be reused by a later session once this one has ended. When the connection is lost while a statement
 * that commits by itself is out, the writer ends this session from another connection, so that the statement's
 * outcome cannot change any more, before it looks whether the statement committed.
 */
record WriterSession(int pid, OffsetDateTime started) {

    private static final Logger log = LoggerFactory.getLogger(WriterSession.class);
    private static final String THIS_SESSION = """
            SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()""";
    private static final String TERMINATE = """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ? AND backend_start = ?""";
    private static final String RUNNING = """
            SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = ? AND backend_start = ?)""";
    private static final long END_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long END_POLL_MILLIS = 5;

    /** The connection's session, or {@code null} if it cannot tell (then the writer always commits with COMMIT). */
    static WriterSession of(Connection connection) {
        try (PreparedStatement statement = connection.prepareStatement(THIS_SESSION);
             ResultSet rs = statement.executeQuery()) {
            return rs.next() ? new WriterSession(rs.getInt(1), rs.getObject(2, OffsetDateTime.class)) : null;
        } catch (SQLException e) {
            log.debug("cannot tell the log writer's session ({}); every batch commits with COMMIT", e.getMessage());
            return null;
        }
    }

    /**
     * Terminates this session, from {@code other}, if it still runs, and waits a bounded time until it is gone.
     *
     * @return whether it is gone: only then is what it committed final
     */
    boolean endFrom(Connection other) throws SQLException {
        try (PreparedStatement terminate = other.prepareStatement(TERMINATE);
             PreparedStatement running = other.prepareStatement(RUNNING)) {
            bind(terminate).execute();
            bind(running);
            long deadline = System.nanoTime() + END_WAIT_NANOS;
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = running.executeQuery()) {
                    if (rs.next() && !rs.getBoolean(1)) {
                        return true;
                    }
                }
                try {
                    Thread.sleep(END_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    private PreparedStatement bind(PreparedStatement statement) throws SQLException {
        statement.setInt(1, pid);
        statement.setObject(2, started);
        return statement;
    }
}
