package dev.kappa.framework;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.framework.bank.BankCommands.Deposit;
import dev.kappa.framework.bank.BankCommands.OpenAccount;
import dev.kappa.framework.bank.BankCommands.Withdraw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A command sent inside an application's transaction commits or rolls back with the application's own rows. */
class TransactionalCommandsIntegrationTest extends StoreIntegrationTest {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    TransactionalCommandsIntegrationTest(DataSource dataSource) {
        super(dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    }

    @BeforeEach
    void createApplicationTable() {
        execute("CREATE TABLE IF NOT EXISTS audit (entry text); TRUNCATE audit");
    }

    @Test
    void theApplicationsRowsAndTheCommandsEventsCommitTogether() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));

        transaction.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO audit VALUES ('deposit requested')");
            gateway.sendAndWait(new Deposit("42", 10));
        });

        assertThat(queryLong("SELECT count(*) FROM audit")).isEqualTo(1);
        assertThat(store.streamVersion("account-42")).isEqualTo(2);
    }

    @Test
    void aRolledBackTransactionTakesTheCommandsEventsWithItAndLeavesNoStaleStateBehind() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        gateway.sendAndWait(new Deposit("42", 10));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO audit VALUES ('withdrawal requested')");
            gateway.sendAndWait(new Withdraw("42", 10));
            throw new IllegalStateException("the payment provider said no");
        })).hasMessage("the payment provider said no");

        assertThat(queryLong("SELECT count(*) FROM audit")).isZero();
        assertThat(store.streamVersion("account-42")).isEqualTo(2);
        // had the cache kept the rolled-back withdrawal, the balance would be 0 and this would fail
        assertThat(gateway.sendAndWait(new Withdraw("42", 10)).version()).isEqualTo(3);
    }

    /**
     * The shape of a reactor that sends commands inside its projection's transaction while the web serves others: the
     * transaction's first append holds the log's lock until it commits; a command outside it holds account 2's
     * in-process lock while its append waits for that lock. The transaction's next command, on account 2, must not
     * wait for the in-process lock, or neither thread ever moves again.
     */
    @Test
    void aTransactionThatAppendedNeverWaitsForACommandQueuedBehindIt() throws Exception {
        gateway.sendAndWait(new OpenAccount("1", "Ada"));
        gateway.sendAndWait(new OpenAccount("2", "Bob"));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch holdsTheLogsLock = new CountDownLatch(1);
            Future<?> inTransaction = threads.submit(() -> transaction.executeWithoutResult(status -> {
                gateway.sendAndWait(new Deposit("1", 10));
                holdsTheLogsLock.countDown();
                awaitAnAppendWaitingForTheLogsLock();
                gateway.sendAndWait(new Deposit("2", 5));
            }));
            assertThat(holdsTheLogsLock.await(30, TimeUnit.SECONDS)).isTrue();
            Future<CommandResult> outside = threads.submit(() -> gateway.sendAndWait(new Deposit("2", 20)));

            assertThat(inTransaction).succeedsWithin(Duration.ofSeconds(30));
            assertThat(outside).succeedsWithin(Duration.ofSeconds(30));
            // the outside command conflicted with the transaction's and was decided again on top of it
            assertThat(store.streamVersion("account-2")).isEqualTo(3);
            assertThat(store.readStream("account-2", 1)).extracting(LogRecord::type)
                    .containsExactly("AccountOpened", "MoneyDeposited", "MoneyDeposited");
        } finally {
            threads.shutdownNow();
        }
    }

    private void awaitAnAppendWaitingForTheLogsLock() {
        await().atMost(Duration.ofSeconds(30)).until(() -> queryLong(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND datname = current_database()") > 0);
    }
}
