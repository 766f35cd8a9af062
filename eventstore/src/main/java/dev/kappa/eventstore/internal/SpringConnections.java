package dev.kappa.eventstore.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.datasource.DataSourceUtils;

import dev.kappa.eventstore.EventStoreException;

/**
 * Runs JDBC work on the connection of the current Spring-managed transaction on the data source, if there is one,
 * or else on a connection of its own, returned afterwards. This is how reads see the caller's uncommitted appends.
 * Thread-safe.
 */
public final class SpringConnections {

    private final DataSource dataSource;

    public SpringConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** JDBC work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work}; a database failure, a connection the data source cannot hand out included, becomes an
     * {@link EventStoreException} saying "could not {@code action}".
     */
    public <T> T run(String action, Work<T> work) {
        Connection connection;
        try {
            connection = DataSourceUtils.getConnection(dataSource);
        } catch (CannotGetJdbcConnectionException e) {
            throw ConnectionFailures.unavailable("could not " + action, e.getCause() == null ? e : e.getCause());
        }
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new EventStoreException("could not " + action + ": " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
