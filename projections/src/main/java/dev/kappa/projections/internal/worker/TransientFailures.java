package dev.kappa.projections.internal.worker;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure of the database connection or a passing conflict (retried for as long as it lasts, without
 * counting against the event) from a failure of the event's handling (retried a bounded number of times).
 */
final class TransientFailures {

    private TransientFailures() {
    }

    /**
     * Whether the failure, or any of its causes, is one that passes by itself: a lost or refused connection (SQL
     * state class 08, 57P01–57P03, 53), a deadlock, a serialization failure, a lock or statement timeout.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && isTransientState(sql.getSQLState())) {
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
