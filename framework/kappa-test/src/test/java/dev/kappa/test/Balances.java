package dev.kappa.test;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.projections.CreateTables;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ProjectionTables;
import dev.kappa.projections.Upserts;
import dev.kappa.test.Account.AccountOpened;
import dev.kappa.test.Account.MoneyDeposited;
import dev.kappa.test.Account.MoneyWithdrawn;

/** A sample blue-green projection: each account's owner and balance, staged in {@link Upserts}. */
@Projection(value = "balances", tables = Balances.TABLE)
class Balances {

    static final String TABLE = "account_balance";

    private final JdbcTemplate jdbc;
    private final Upserts balances = Upserts.into(TABLE).key("account_id").set("owner").add("balance").max("version");

    Balances(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @CreateTables
    void create(ProjectionTables tables) {
        jdbc.execute("CREATE TABLE " + tables.name(TABLE)
                + " (account_id text PRIMARY KEY, owner text, balance bigint NOT NULL, version bigint NOT NULL)");
    }

    @EventHandler
    void on(AccountOpened event, EventContext context) {
        balances.row(event.accountId()).put("owner", event.owner()).put("balance", 0L)
                .put("version", context.streamVersion());
    }

    @EventHandler
    void on(MoneyDeposited event, EventContext context) {
        balances.row(event.accountId()).put("balance", event.amount()).put("version", context.streamVersion());
    }

    @EventHandler
    void on(MoneyWithdrawn event, EventContext context) {
        if (event.amount() < 0) {
            throw new IllegalArgumentException("a withdrawal of " + event.amount() + " cannot be applied");
        }
        balances.row(event.accountId()).put("balance", -event.amount()).put("version", context.streamVersion());
    }
}
