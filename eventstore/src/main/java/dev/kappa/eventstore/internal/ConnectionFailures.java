package dev.kappa.eventstore.internal;

import java.sql.Connection;
import java.sql.SQLException;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.EventStoreException;

/**
 * Tells a lost connection from an error the database reported on a live one. After a lost connection, an
 * uncommitted transaction is gone (PostgreSQL rolls it back), which is what makes retrying it safe.
 */
public final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /**
     * Whether {@code failure} means the connection is unusable: SQL state class 08 (connection exception) or
     * 57P01–57P03 (the server ended the session), or a connection that no longer answers.
     */
    public static boolean isConnectionLost(SQLException failure, Connection connection) {
        if (DatabaseFailures.endsSession(failure)) {
            return true;
        }
        try {
            return connection == null || connection.isClosed() || !connection.isValid(2);
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Whether the failure proves that nothing was sent: SQL state 08003 (connection does not exist) is what a driver
     * or pool raises for a connection already closed on the client's side, before it sends anything. (Were it the
     * server's answer, the statement would have failed, so nothing of it was committed either.)
     */
    public static boolean sentNothing(SQLException failure) {
        return "08003".equals(failure.getSQLState());
    }

    /** The failure to report when no connection could be had: {@code what} failed, the database is unavailable. */
    public static EventStoreException unavailable(String what, Throwable cause) {
        return new EventStoreException(what + ": the database is unavailable (" + cause.getMessage()
                + "); try again later", cause);
    }

    /** Closes a connection that may be broken; a broken one cannot close cleanly, and is dropped all the same. */
    public static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more can be done with it
        }
    }
}
