package dev.kappa.test;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetContext;
import dev.kappa.projections.ResetHandler;
import dev.kappa.test.Account.AccountEvent;

/**
 * A sample projection into a table the application creates: one row per account event, with where it sits in the
 * log. It can go back to any offset, since each row records its own. Closing the account "poison" fails after the
 * row is written.
 */
@Projection("movements")
class Movements {

    static final String CREATE_TABLE = """
            CREATE TABLE movements (log_offset bigint PRIMARY KEY, stream_id text NOT NULL,
                                    stream_version bigint NOT NULL, event_type text NOT NULL, correlation_id text)""";

    private final JdbcTemplate jdbc;

    Movements(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AccountEvent event, EventContext context) {
        jdbc.update("INSERT INTO movements VALUES (?, ?, ?, ?, ?)", context.offset(), context.streamId(),
                context.streamVersion(), context.eventType(), context.correlationId());
        if (event instanceof Account.AccountClosed closed && closed.accountId().equals("poison")) {
            throw new IllegalStateException("account " + closed.accountId() + " cannot be closed here");
        }
    }

    @ResetHandler(toOffset = true)
    void reset(ResetContext reset) {
        jdbc.update("DELETE FROM movements WHERE log_offset > ?", reset.toOffset());
    }
}
