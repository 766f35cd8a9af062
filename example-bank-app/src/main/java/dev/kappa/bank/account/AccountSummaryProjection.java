package dev.kappa.bank.account;

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

/** Keeps {@code account_summary}: each account's owner, currency, balance, status and version. */
@Component
@Projection("account-summary")
class AccountSummaryProjection {

    private final AccountSummaryRepository summaries;

    AccountSummaryProjection(AccountSummaryRepository summaries) {
        this.summaries = summaries;
    }

    @EventHandler
    void on(AccountOpened event, EventContext context) {
        summaries.open(event.accountId(), event.owner(), event.currency(), context.streamVersion());
    }

    @EventHandler
    void on(MoneyDeposited event, EventContext context) {
        summaries.move(event.accountId(), event.amount(), context.streamVersion());
    }

    @EventHandler
    void on(MoneyWithdrawn event, EventContext context) {
        summaries.move(event.accountId(), -event.amount(), context.streamVersion());
    }

    @EventHandler
    void on(MoneyDebitedForTransfer event, EventContext context) {
        summaries.move(event.accountId(), -event.amount(), context.streamVersion());
    }

    @EventHandler
    void on(MoneyCreditedByTransfer event, EventContext context) {
        summaries.move(event.accountId(), event.amount(), context.streamVersion());
    }

    @EventHandler
    void on(TransferRefunded event, EventContext context) {
        summaries.move(event.accountId(), event.amount(), context.streamVersion());
    }

    @EventHandler
    void on(AccountFrozen event, EventContext context) {
        summaries.status(event.accountId(), "FROZEN", context.streamVersion());
    }

    @EventHandler
    void on(AccountUnfrozen event, EventContext context) {
        summaries.status(event.accountId(), "OPEN", context.streamVersion());
    }

    @EventHandler
    void on(AccountClosed event, EventContext context) {
        summaries.status(event.accountId(), "CLOSED", context.streamVersion());
    }

    @ResetHandler
    void reset() {
        summaries.clear();
    }
}
