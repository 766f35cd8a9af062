package dev.kappa.kafka.source;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;

/**
 * Account activity, fed by Kafka: per account its deposits, their total and the last version seen; and one row per
 * application of an event, so that a test sees any event applied twice. A negative deposit fails while
 * {@link #poisoned} is set.
 */
@Projection(value = "account-activity", topic = "accounts")
class AccountActivity {

    static final String TABLES = """
            CREATE TABLE IF NOT EXISTS account_activity (
                account text PRIMARY KEY, deposits bigint NOT NULL, total bigint NOT NULL, last_version bigint NOT NULL);
            CREATE TABLE IF NOT EXISTS activity_applications (log_offset bigint NOT NULL, account text NOT NULL)""";

    final AtomicBoolean poisoned = new AtomicBoolean(true);
    final AtomicInteger handled = new AtomicInteger();
    private final JdbcTemplate jdbc;
    private final long delayNanos;

    AccountActivity(DataSource dataSource) {
        this(dataSource, 0);
    }

    /** @param delayNanos how long each event takes to apply: a slow handler, so that a batch is long */
    AccountActivity(DataSource dataSource, long delayNanos) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.delayNanos = delayNanos;
        jdbc.execute(TABLES);
    }

    @EventHandler
    void on(Deposited deposit, EventContext context) {
        if (deposit.amount() < 0 && poisoned.get()) {
            throw new IllegalArgumentException("a negative deposit at offset " + context.offset());
        }
        handled.incrementAndGet();
        jdbc.update("INSERT INTO activity_applications (log_offset, account) VALUES (?, ?)", context.offset(),
                context.streamId());
        jdbc.update("""
                INSERT INTO account_activity (account, deposits, total, last_version) VALUES (?, 1, ?, ?)
                ON CONFLICT (account) DO UPDATE SET deposits = account_activity.deposits + 1,
                    total = account_activity.total + excluded.total,
                    last_version = greatest(account_activity.last_version, excluded.last_version)""",
                context.streamId(), deposit.amount(), context.streamVersion());
        if (delayNanos > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(delayNanos);
        }
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE account_activity, activity_applications");
    }
}
