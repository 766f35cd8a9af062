package dev.kappa.boot.autoconfigure.bank;

import org.springframework.stereotype.Component;

import dev.kappa.boot.autoconfigure.bank.Account.AccountOpened;
import dev.kappa.boot.autoconfigure.bank.Account.MoneyDeposited;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;

/** A PostgreSQL read model written through a Spring Data JDBC repository, in the worker's transaction. */
@Component
@Projection("account-summary")
class AccountSummaryProjection {

    private final AccountSummaryRepository summaries;

    AccountSummaryProjection(AccountSummaryRepository summaries) {
        this.summaries = summaries;
    }

    @EventHandler
    void on(AccountOpened event, EventContext context) {
        summaries.open(event.accountId(), event.owner(), context.streamVersion());
    }

    @EventHandler
    void on(MoneyDeposited event, EventContext context) {
        summaries.deposit(event.accountId(), event.amount(), context.streamVersion());
    }

    @ResetHandler
    void reset() {
        summaries.clear();
    }
}
