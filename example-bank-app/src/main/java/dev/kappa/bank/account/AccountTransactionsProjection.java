package dev.kappa.bank.account;

import org.springframework.stereotype.Component;

import dev.kappa.bank.account.AccountEvents.MoneyCreditedByTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDebitedForTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDeposited;
import dev.kappa.bank.account.AccountEvents.MoneyWithdrawn;
import dev.kappa.bank.account.AccountEvents.TransferRefunded;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetContext;
import dev.kappa.projections.ResetHandler;

/**
 * Keeps {@code account_transactions}: every movement of money, with the offset of the event that made it. Because each
 * row records its offset, the read model can go back to any offset: its reset handler deletes the rows of later
 * events, so {@code POST /actuator/kappa/account-transactions/reset?offset=N} keeps the rows up to {@code N} and
 * replays the rest.
 */
@Component
@Projection("account-transactions")
class AccountTransactionsProjection {

    private final AccountTransactionRepository transactions;

    AccountTransactionsProjection(AccountTransactionRepository transactions) {
        this.transactions = transactions;
    }

    @EventHandler
    void on(MoneyDeposited event, EventContext context) {
        record(context, event.accountId(), "DEPOSIT", event.amount(), null);
    }

    @EventHandler
    void on(MoneyWithdrawn event, EventContext context) {
        record(context, event.accountId(), "WITHDRAWAL", -event.amount(), null);
    }

    @EventHandler
    void on(MoneyDebitedForTransfer event, EventContext context) {
        record(context, event.accountId(), "TRANSFER_OUT", -event.amount(), event.transferId());
    }

    @EventHandler
    void on(MoneyCreditedByTransfer event, EventContext context) {
        record(context, event.accountId(), "TRANSFER_IN", event.amount(), event.transferId());
    }

    @EventHandler
    void on(TransferRefunded event, EventContext context) {
        record(context, event.accountId(), "REFUND", event.amount(), event.transferId());
    }

    @ResetHandler(toOffset = true)
    void reset(ResetContext reset) {
        transactions.removeAfter(reset.toOffset());
    }

    private void record(EventContext context, String accountId, String kind, long amount, String transferId) {
        transactions.record(context.offset(), accountId, kind, amount, transferId, context.recordedAt());
    }
}
