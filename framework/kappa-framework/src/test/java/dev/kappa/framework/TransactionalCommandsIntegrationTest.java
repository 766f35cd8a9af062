package dev.kappa.framework;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kappa.framework.bank.BankCommands.Deposit;
import dev.kappa.framework.bank.BankCommands.OpenAccount;
import dev.kappa.framework.bank.BankCommands.Withdraw;

import static org.assertj.core.api.Assertions.assertThat;
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
}
