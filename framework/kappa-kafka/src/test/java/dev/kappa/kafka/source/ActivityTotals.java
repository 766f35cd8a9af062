package dev.kappa.kafka.source;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.projections.CreateTables;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ProjectionTables;

/** Deposits per account, rebuilt blue-green from its topic: readers query the view {@code activity_totals}. */
@Projection(value = "activity-totals", topic = "accounts", tables = "activity_totals")
class ActivityTotals {

    private final JdbcTemplate jdbc;

    ActivityTotals(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @CreateTables
    void create(ProjectionTables tables) {
        jdbc.execute("CREATE TABLE " + tables.name("activity_totals")
                + " (account text PRIMARY KEY, deposits bigint NOT NULL, total bigint NOT NULL)");
    }

    @EventHandler
    void on(Deposited deposit, EventContext context) {
        String table = context.table("activity_totals");
        jdbc.update("INSERT INTO " + table + " AS t (account, deposits, total) VALUES (?, 1, ?) ON CONFLICT (account)"
                + " DO UPDATE SET deposits = t.deposits + 1, total = t.total + excluded.total", context.streamId(),
                deposit.amount());
    }
}
