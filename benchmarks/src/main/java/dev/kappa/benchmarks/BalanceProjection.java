package dev.kappa.benchmarks;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.benchmarks.AccountEvent.AccountOpened;
import dev.kappa.benchmarks.AccountEvent.MoneyDeposited;
import dev.kappa.benchmarks.AccountEvent.MoneyWithdrawn;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;
import dev.kappa.projections.Upserts;

/**
 * The read model of the rebuild and latency phases: {@code account_balance(account_id, balance, version)}, one row
 * per account, its version the stream version of the last event applied. Written with {@link Upserts}, so that a
 * batch's events are merged per account and written in one statement. {@link KafkaBalanceProjection} is the same
 * read model in a table of its own, fed from Kafka.
 */
@Projection(BalanceProjection.NAME)
class BalanceProjection {

    static final String NAME = "account-balance";
    static final String TABLE = "account_balance";

    private static final String CREATE_TABLE = """
            CREATE TABLE IF NOT EXISTS %s (
                account_id text PRIMARY KEY, balance bigint NOT NULL, version bigint NOT NULL)""";

    private final Upserts balances;
    private final JdbcTemplate jdbc;
    private final String table;

    BalanceProjection(DataSource dataSource) {
        this(dataSource, TABLE);
    }

    /** The projection writing {@code table}, a constant of this package's (never user input). */
    BalanceProjection(DataSource dataSource, String table) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.table = table;
        this.balances = Upserts.into(table).key("account_id").add("balance").max("version");
        jdbc.execute(CREATE_TABLE.formatted(table));
    }

    @EventHandler
    void on(AccountOpened event, EventContext context) {
        row(context).put("balance", event.openingBalance()).put("version", context.streamVersion());
    }

    @EventHandler
    void on(MoneyDeposited event, EventContext context) {
        row(context).put("balance", event.amount()).put("version", context.streamVersion());
    }

    @EventHandler
    void on(MoneyWithdrawn event, EventContext context) {
        row(context).put("balance", -event.amount()).put("version", context.streamVersion());
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE " + table);
    }

    /** The account's row: its id is the stream id without the aggregate's prefix. */
    private Upserts.Row row(EventContext context) {
        return balances.row(context.streamId().substring(Account.STREAM_PREFIX.length()));
    }
}
