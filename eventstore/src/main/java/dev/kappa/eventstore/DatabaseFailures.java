package dev.kappa.eventstore;

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
 * Tells what a failure seen while using PostgreSQL means for whoever retries: the database cannot be reached (wait
 * for it), a conflict that passes by itself (try again now), or anything else (the work itself failed). Kappa's
 * projection workers, subscriptions and web support decide with it; an application may too. The failure is looked
 * at with all its causes, through JDBC drivers', HikariCP's and Spring's wrappers alike.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * Whether the failure, or any of its causes, means that the database cannot be reached: no connection to be had
     * (the pool gave up, the server refused) or the connection lost (SQL state class 08, or 57P01–57P03: the server
     * ended the session). A deadlock or a lock timeout is not: the database answers.
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // a rollback that failed hides the failure that caused it, which may well be the lost connection
            if (t instanceof TransactionSystemException system && system.getApplicationException() != null
                    && isUnavailable(system.getApplicationException())) {
                return true;
            }
            if (t instanceof SQLException sql && (sql.getSQLState() == null ? isClosedConnection(sql)
                    : endsSession(sql.getSQLState()))) {
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

    /**
     * Whether the failure, or any of its causes, passes by itself: the database unavailable (see
     * {@link #isUnavailable}), too busy (SQL state class 53), a deadlock, a serialization failure, a lock or
     * statement timeout.
     */
    public static boolean isTransient(Throwable failure) {
        if (isUnavailable(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransactionSystemException system && system.getApplicationException() != null
                    && isTransient(system.getApplicationException())) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && passes(sql.getSQLState())) {
                return true;
            }
            if (t instanceof SQLTransientException || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failure, or any of its causes, is an {@link SQLException} whose SQL state says that the session is
     * gone: class 08 (connection exception) or 57P01–57P03. Narrower than {@link #isUnavailable}: it says that the
     * server ended or lost this session, after which an uncommitted transaction of it is rolled back.
     */
    public static boolean endsSession(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && endsSession(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The failure and its causes, with SQL states, on one line: what an operator needs from a log line. */
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

    private static boolean endsSession(String state) {
        return state.startsWith("08") || state.startsWith("57P0");
    }

    /** A pool's or driver's complaint about a connection already closed, when it carries no SQL state. */
    private static boolean isClosedConnection(SQLException failure) {
        return failure.getMessage() != null && failure.getMessage().contains("onnection is closed");
    }

    private static boolean passes(String state) {
        return state.startsWith("53") // insufficient resources
                || state.equals("40001") // serialization failure
                || state.equals("40P01") // deadlock detected
                || state.equals("55P03") // lock not available (lock_timeout)
                || state.equals("57014"); // query cancelled (statement_timeout)
    }
}
