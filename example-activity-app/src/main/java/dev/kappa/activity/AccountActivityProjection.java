package dev.kappa.activity;

import java.sql.Timestamp;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.kappa.activity.BankEvents.AccountOpened;
import dev.kappa.activity.BankEvents.MoneyCreditedByTransfer;
import dev.kappa.activity.BankEvents.MoneyDebitedForTransfer;
import dev.kappa.activity.BankEvents.MoneyDeposited;
import dev.kappa.activity.BankEvents.MoneyWithdrawn;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;

/**
 * Keeps {@code account_activity} from the bank's log on Kafka: per account, how many deposits, withdrawals and
 * transfers out and in it had, and when it was last active. The topic's partitions are the projection's segments;
 * each account's events stay in one partition (the relay keys them by stream id), so one worker writes each row.
 * Its positions per partition commit with the rows, in this application's PostgreSQL: exactly once.
 *
 * <p>Rebuilt by resetting its offsets: {@code POST /actuator/kappa/account-activity/reset} clears the table and reads
 * the topic again from the start.
 */
@Component
@Projection(value = AccountActivityProjection.NAME, topic = "kappa.log")
class AccountActivityProjection {

    static final String NAME = "account-activity";

    private static final String OPENED = """
            INSERT INTO account_activity (account_id, owner, opened_at, last_activity_at, last_offset)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (account_id) DO UPDATE SET owner = excluded.owner, opened_at = excluded.opened_at
            """;
    private static final String DEPOSITED = counting("deposits");
    private static final String WITHDRAWN = counting("withdrawals");
    private static final String TRANSFERRED_OUT = counting("transfers_out");
    private static final String TRANSFERRED_IN = counting("transfers_in");
    private static final String CLEAR = "TRUNCATE account_activity";

    private final JdbcTemplate jdbc;

    AccountActivityProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AccountOpened event, EventContext context) {
        Timestamp at = Timestamp.from(context.metadata().recordedAt());
        jdbc.update(OPENED, event.accountId(), event.owner(), at, at, context.offset());
    }

    @EventHandler
    void on(MoneyDeposited event, EventContext context) {
        count(DEPOSITED, event.accountId(), context);
    }

    @EventHandler
    void on(MoneyWithdrawn event, EventContext context) {
        count(WITHDRAWN, event.accountId(), context);
    }

    @EventHandler
    void on(MoneyDebitedForTransfer event, EventContext context) {
        count(TRANSFERRED_OUT, event.accountId(), context);
    }

    @EventHandler
    void on(MoneyCreditedByTransfer event, EventContext context) {
        count(TRANSFERRED_IN, event.accountId(), context);
    }

    @ResetHandler
    void reset() {
        jdbc.update(CLEAR);
    }

    private void count(String statement, String accountId, EventContext context) {
        jdbc.update(statement, accountId, Timestamp.from(context.metadata().recordedAt()), context.offset());
    }

    /** The upsert that counts one more of {@code column} (a constant of this class, never input). */
    private static String counting(String column) {
        return """
                INSERT INTO account_activity (account_id, %1$s, last_activity_at, last_offset) VALUES (?, 1, ?, ?)
                ON CONFLICT (account_id) DO UPDATE SET %1$s = account_activity.%1$s + 1,
                    last_activity_at = excluded.last_activity_at, last_offset = excluded.last_offset
                """.formatted(column);
    }
}
