package dev.kappa.projections;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.projections.TestEvents.AccountOpened;
import dev.kappa.projections.TestEvents.MoneyDeposited;
import dev.kappa.projections.TestEvents.MoneyWithdrawn;

/**
 * The bank's balances, written with {@link Upserts}: the projection of the rebuild yardstick. Each account's stream
 * id is its row's key.
 */
@Projection("balances")
class BalanceProjection {

    static final String TABLE = """
            CREATE TABLE IF NOT EXISTS account_balance (
                account_id text PRIMARY KEY, balance bigint NOT NULL, version bigint NOT NULL)""";

    private final Upserts balances = Upserts.into("account_balance").key("account_id").add("balance").max("version");
    private final JdbcTemplate jdbc;

    BalanceProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute(TABLE);
    }

    @EventHandler
    void on(AccountOpened event, EventContext context) {
        balances.row(context.streamId()).put("balance", 0).put("version", context.streamVersion());
    }

    @EventHandler
    void on(MoneyDeposited event, EventContext context) {
        balances.row(context.streamId()).put("balance", event.amount()).put("version", context.streamVersion());
    }

    @EventHandler
    void on(MoneyWithdrawn event, EventContext context) {
        balances.row(context.streamId()).put("balance", -event.amount()).put("version", context.streamVersion());
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE account_balance");
    }
}
