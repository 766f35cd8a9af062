package dev.kappa.bank.account;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;

/**
 * Every account, in memory: the hot {@code GET /accounts/{id}} path reads here and touches no database. Rebuilt from
 * the log at every start; the application reports ready once it has caught up. Balances are summed exactly: an event
 * that would overflow one (written before the bank refused such movements, or by another writer) stops it there
 * ({@link BalanceOverflow}), keeping the balance it had, until an operator skips that event. Like {@code account_summary}, it cannot
 * go back to an earlier offset: a reset empties it and replays the whole log.
 *
 * <p>Thread-safe: the worker writes, request threads read.
 */
@Component
@Projection(value = "account-cache", inMemory = true)
public class AccountCache {

    private final Cache<String, AccountView> accounts = Caffeine.newBuilder().build();

    /** The account as the cache knows it. */
    public Optional<AccountView> find(String accountId) {
        return Optional.ofNullable(accounts.getIfPresent(accountId));
    }

    @EventHandler
    void on(AccountOpened event, EventContext context) {
        accounts.put(event.accountId(), new AccountView(event.accountId(), event.owner(), event.currency(), 0, "OPEN",
                context.streamVersion()));
    }

    @EventHandler
    void on(MoneyDeposited event, EventContext context) {
        move(event.accountId(), event.amount(), true, context);
    }

    @EventHandler
    void on(MoneyWithdrawn event, EventContext context) {
        move(event.accountId(), event.amount(), false, context);
    }

    @EventHandler
    void on(MoneyDebitedForTransfer event, EventContext context) {
        move(event.accountId(), event.amount(), false, context);
    }

    @EventHandler
    void on(MoneyCreditedByTransfer event, EventContext context) {
        move(event.accountId(), event.amount(), true, context);
    }

    @EventHandler
    void on(TransferRefunded event, EventContext context) {
        move(event.accountId(), event.amount(), true, context);
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

    @ResetHandler
    void reset() {
        accounts.invalidateAll();
    }

    /** Exact: an overflowing event stops the projection at it, naming it, rather than caching a wrapped balance. */
    private void move(String accountId, long amount, boolean credit, EventContext context) {
        accounts.asMap().computeIfPresent(accountId, (id, view) -> view.withBalance(BalanceOverflow.moved(id,
                view.balance(), amount, credit, "the " + context.eventType() + " at version " + context.streamVersion()
                        + " (offset " + context.offset() + ")", "skip it once you have read the event (POST"
                        + " /actuator/kappa/account-cache/skip?offset=" + context.offset() + ", docs/operations.md,"
                        + " \"Poison events\")"), context.streamVersion()));
    }

    private void status(String accountId, String status, EventContext context) {
        accounts.asMap().computeIfPresent(accountId, (id, view) -> view.withStatus(status, context.streamVersion()));
    }
}
