package dev.kappa.projections;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.projections.TestEvents.AccountOpened;
import dev.kappa.projections.TestEvents.MoneyDeposited;
import dev.kappa.projections.TestEvents.MoneyWithdrawn;

import static org.assertj.core.api.Assertions.assertThat;

/** The complete example of {@code docs/projections.md}, kept compiling and true. */
class DocsExampleIntegrationTest extends ProjectionIntegrationTest {

    DocsExampleIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    // --- from docs/projections.md -------------------------------------------------------------------------------

    @Projection(value = "account-balances", segments = 2, version = 1, tables = "account_balance")
    static class AccountBalances {

        private final JdbcTemplate jdbc;
        private final Upserts balances = Upserts.into("account_balance")
                .key("account_id").add("balance").max("version").set("owner");

        AccountBalances(DataSource dataSource) {
            this.jdbc = new JdbcTemplate(dataSource);
        }

        @CreateTables
        void create(ProjectionTables tables) {
            jdbc.execute("CREATE TABLE " + tables.name("account_balance") + " (account_id text PRIMARY KEY,"
                    + " owner text, balance bigint NOT NULL, version bigint NOT NULL)");
        }

        @EventHandler
        void on(AccountOpened event, EventContext context) {
            balances.row(context.streamId()).put("owner", event.owner()).put("balance", 0)
                    .put("version", context.streamVersion());
        }

        @EventHandler
        void on(MoneyDeposited event, EventContext context) {
            balances.row(context.streamId()).put("balance", event.amount()).put("version", context.streamVersion());
        }

        @EventHandler
        void on(MoneyWithdrawn event, EventContext context) {
            balances.row(context.streamId()).put("balance", -event.amount()).put("version", context.streamVersion());
        }
    }

    long openAndDeposit(EventStore store, ProjectionRuntime runtime) throws InterruptedException {
        store.append("acc-1", ExpectedVersion.noStream(), List.of(NewEvent.of(new AccountOpened("Ada"))));
        AppendResult result = store.append("acc-1", ExpectedVersion.exactly(1),
                List.of(NewEvent.of(new MoneyDeposited(500))));

        CheckpointWait wait = runtime.awaitCheckpoint("account-balances", result.toOffset(), Duration.ofSeconds(2));
        if (!wait.reached()) {
            throw new IllegalStateException("the read model is still at offset " + wait.checkpoint());
        }
        return jdbc.queryForObject("SELECT balance FROM account_balance WHERE account_id = 'acc-1'", Long.class);
    }

    // --- end of the example ---------------------------------------------------------------------------------------

    @Test
    void theExampleOfTheDocumentationWorks() throws Exception {
        ProjectionSchema.migrate(dataSource);
        ProjectionRuntime runtime = closeAfterTest(ProjectionRuntime.builder(dataSource, store).build());
        runtime.register(new AccountBalances(dataSource));
        runtime.start();
        // a blue-green projection's first build gets its view once it has caught up with the (empty) log
        assertThat(runtime.awaitCaughtUp(PATIENCE)).isTrue();

        assertThat(openAndDeposit(store, runtime)).isEqualTo(500);
        assertThat(sql.queryLong("SELECT version FROM account_balance_g1 WHERE account_id = 'acc-1'")).isEqualTo(2);
    }
}
