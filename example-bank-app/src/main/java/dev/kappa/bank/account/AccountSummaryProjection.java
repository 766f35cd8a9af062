package dev.kappa.bank.account;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.kappa.bank.account.AccountEvents.AccountClosed;
import dev.kappa.bank.account.AccountEvents.AccountFrozen;
import dev.kappa.bank.account.AccountEvents.AccountOpened;
import dev.kappa.bank.account.AccountEvents.AccountUnfrozen;
import dev.kappa.bank.account.AccountEvents.MoneyCreditedByTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDebitedForTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDeposited;
import dev.kappa.bank.account.AccountEvents.MoneyWithdrawn;
import dev.kappa.bank.account.AccountEvents.TransferRefunded;
import dev.kappa.projections.CreateTables;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ProjectionTables;
import dev.kappa.projections.Upserts;

/**
 * Keeps {@code account_summary}: each account's owner, currency, balance, status and version. It is rebuilt
 * blue-green: each generation writes a table of its own ({@code account_summary_g<N>}) through {@link Upserts}, and
 * readers ({@link AccountSummaryRepository}) query the view {@code account_summary}, which Kappa points at the
 * generation that has caught up. {@code POST /actuator/kappa/account-summary/rebuild} recomputes it while readers keep
 * the old one, and raising {@code version} does the same at the next deployment.
 *
 * <p>A balance is the sum of every movement before it, so the read model cannot be taken back to an earlier offset:
 * a reset to an offset above 0 is refused (a reset to 0 empties the table and replays the log; a rebuild is the way
 * that keeps serving readers).
 */
@Component
@Projection(value = "account-summary", version = 1, tables = AccountSummaryProjection.TABLE)
class AccountSummaryProjection {

    static final String TABLE = "account_summary";

    private final JdbcTemplate jdbc;
    private final Upserts summaries = Upserts.into(TABLE).key("account_id")
            .set("owner", "currency", "status").add("balance").max("version");

    AccountSummaryProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A generation's table. Owner, currency and status may be null in the table because a row staged by a movement
     * alone names none of them (they keep their stored values); every account row is opened first, so readers never
     * see a null.
     */
    @CreateTables
    void create(ProjectionTables tables) {
        jdbc.execute("CREATE TABLE " + tables.name(TABLE) + " (account_id text PRIMARY KEY, owner text, currency text,"
                + " balance bigint NOT NULL, status text, version bigint NOT NULL)");
    }

    @EventHandler
    void on(AccountOpened event, EventContext context) {
        summaries.row(event.accountId()).put("owner", event.owner()).put("currency", event.currency())
                .put("balance", 0L).put("status", "OPEN").put("version", context.streamVersion());
    }

    @EventHandler
    void on(MoneyDeposited event, EventContext context) {
        move(event.accountId(), event.amount(), context);
    }

    @EventHandler
    void on(MoneyWithdrawn event, EventContext context) {
        move(event.accountId(), -event.amount(), context);
    }

    @EventHandler
    void on(MoneyDebitedForTransfer event, EventContext context) {
        move(event.accountId(), -event.amount(), context);
    }

    @EventHandler
    void on(MoneyCreditedByTransfer event, EventContext context) {
        move(event.accountId(), event.amount(), context);
    }

    @EventHandler
    void on(TransferRefunded event, EventContext context) {
        move(event.accountId(), event.amount(), context);
    }

    @EventHandler
    void on(AccountFrozen event, EventContext context) {
        status(event.accountId(), "FROZEN", context);
    }

    @EventHandler
    void on(AccountUnfrozen event, EventContext context) {
        status(event.accountId(), "OPEN", context);
    }

    @EventHandler
    void on(AccountClosed event, EventContext context) {
        status(event.accountId(), "CLOSED", context);
    }

    private void move(String accountId, long delta, EventContext context) {
        summaries.row(accountId).put("balance", delta).put("version", context.streamVersion());
    }

    private void status(String accountId, String status, EventContext context) {
        summaries.row(accountId).put("status", status).put("version", context.streamVersion());
    }
}
