package dev.kappa.projections.internal.worker;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the database connection or a passing conflict (retried for as long as it lasts, without
 * counting against the event) from a failure of the event's handling (retried a bounded number of times).
 */
public final class TransientFailures {

    private TransientFailures() {
    }

    /**
     * Whether the failure, or any of its causes, is one that passes by itself: a lost or refused connection (SQL
     * state class 08, 57P01–57P03, 53), a deadlock, a serialization failure, a lock or statement timeout.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // a rollback that failed hides the failure that caused it, which may well be the lost connection
            if (t instanceof TransactionSystemException system && system.getApplicationException() != null
                    && isTransient(system.getApplicationException())) {
                return true;
            }
            if (t instanceof SQLException sql && (sql.getSQLState() == null ? isClosedConnection(sql)
                    : isTransientState(sql.getSQLState()))) {
                return true;
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Whether the failure, or any of its causes, means that the database cannot be reached: no connection to be had
     * (the pool gave up, the server refused), or the connection lost (SQL state class 08, 57P01–57P03). A deadlock or
     * a lock timeout is transient too, but the database answers.
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransactionSystemException system && system.getApplicationException() != null
                    && isUnavailable(system.getApplicationException())) {
                return true;
            }
            if (t instanceof SQLException sql && (sql.getSQLState() == null ? isClosedConnection(sql)
                    : sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
    }

    /** A pool's complaint about a connection it already closed (HikariCP's carries no SQL state). */
    private static boolean isClosedConnection(SQLException failure) {
        return failure.getMessage() != null && failure.getMessage().contains("onnection is closed");
    }

    /** The failure and its causes, with SQL states: what an operator needs from one log line. */
    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getName());
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                text.append(" [").append(sql.getSQLState()).append(']');
            }
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage().lines().findFirst().orElse(""));
            }
        }
        return text.toString();
    }

    private static boolean isTransientState(String state) {
        return state.startsWith("08") // connection exception
                || state.startsWith("57P0") // admin shutdown, crash shutdown, cannot connect now
                || state.startsWith("53") // insufficient resources
                || state.equals("40001") // serialization failure
                || state.equals("40P01") // deadlock detected
                || state.equals("55P03") // lock not available (lock_timeout)
                || state.equals("57014"); // query cancelled (statement_timeout)
    }
}
