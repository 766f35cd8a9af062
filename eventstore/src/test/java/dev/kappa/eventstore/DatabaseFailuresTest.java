package dev.kappa.eventstore;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/** The failure shapes met while PostgreSQL went away under Kappa, through JDBC's, HikariCP's and Spring's wrappers. */
class DatabaseFailuresTest {

    private static final SQLException ADMIN_SHUTDOWN =
            new SQLException("FATAL: terminating connection due to administrator command", "57P01");

    @Test
    void aSessionTheServerEndedOrLostMeansTheDatabaseIsUnavailable() {
        assertThat(DatabaseFailures.isUnavailable(ADMIN_SHUTDOWN)).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("An I/O error occurred", "08006"))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(
                new UncategorizedSQLException("query", "SELECT 1", ADMIN_SHUTDOWN))).isTrue();
        assertThat(DatabaseFailures.endsSession(new EventStoreException("append failed", ADMIN_SHUTDOWN))).isTrue();
    }

    @Test
    void aConnectionThePoolCannotHandOutMeansTheDatabaseIsUnavailable() {
        SQLTransientConnectionException timedOut = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 3000ms");
        assertThat(DatabaseFailures.isUnavailable(timedOut)).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new CannotGetJdbcConnectionException("no", timedOut))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new CannotCreateTransactionException("no", timedOut))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new DataAccessResourceFailureException("gone"))).isTrue();
        assertThat(DatabaseFailures.endsSession(timedOut)).as("no SQL state, no session ended").isFalse();
    }

    @Test
    void aRollbackThatFailedOnTheClosedConnectionIsSeenThrough() {
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        assertThat(DatabaseFailures.isUnavailable(rollbackFailed)).isTrue();

        TransactionSystemException hidingTheQuery = new TransactionSystemException("JDBC rollback failed",
                new SQLException("rollback failed", "XX000"));
        hidingTheQuery.initApplicationException(new DataAccessResourceFailureException("query", ADMIN_SHUTDOWN));
        assertThat(DatabaseFailures.isUnavailable(hidingTheQuery)).isTrue();
    }

    @Test
    void aConflictThatPassesIsTransientButTheDatabaseAnswers() {
        SQLException deadlock = new SQLException("deadlock detected", "40P01");
        assertThat(DatabaseFailures.isTransient(deadlock)).isTrue();
        assertThat(DatabaseFailures.isUnavailable(deadlock)).isFalse();
        assertThat(DatabaseFailures.isTransient(new CannotAcquireLockException("lock_timeout",
                new SQLException("canceling statement due to lock timeout", "55P03")))).isTrue();
        assertThat(DatabaseFailures.isTransient(ADMIN_SHUTDOWN)).isTrue();
    }

    @Test
    void aFailureOfTheWorkItselfIsNeither() {
        DuplicateKeyException duplicate = new DuplicateKeyException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505"));
        assertThat(DatabaseFailures.isUnavailable(duplicate)).isFalse();
        assertThat(DatabaseFailures.isTransient(duplicate)).isFalse();
        assertThat(DatabaseFailures.isTransient(new IllegalStateException("handler failed"))).isFalse();
    }

    @Test
    void aDescriptionNamesEveryCauseWithItsSqlStateOnOneLine() {
        String described = DatabaseFailures.describe(new UncategorizedSQLException("query", "SELECT 1",
                new SQLException("FATAL: terminating connection\n  detail", "57P01")));

        assertThat(described).contains(UncategorizedSQLException.class.getName())
                .contains("java.sql.SQLException [57P01]: FATAL: terminating connection").doesNotContain("\n");
    }
}
