package dev.kappa.bank.transfer;

import org.springframework.stereotype.Component;

import dev.kappa.bank.account.AccountCommands.CreditForTransfer;
import dev.kappa.bank.account.AccountCommands.DebitForTransfer;
import dev.kappa.bank.account.AccountCommands.RefundTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyCreditedByTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDebitedForTransfer;
import dev.kappa.bank.account.AccountEvents.TransferRefunded;
import dev.kappa.bank.account.AccountRuleViolation;
import dev.kappa.bank.account.BalanceOverflow;
import dev.kappa.bank.transfer.TransferMessages.CompleteTransfer;
import dev.kappa.bank.transfer.TransferMessages.FailTransfer;
import dev.kappa.bank.transfer.TransferMessages.RecordDebit;
import dev.kappa.bank.transfer.TransferMessages.RecordRefund;
import dev.kappa.bank.transfer.TransferMessages.TransferRequested;
import dev.kappa.framework.AggregateNotFoundException;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandMessage;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;

/**
 * Drives transfers, a reactor: it follows the log and answers each step's event with the next step's command.
 * requested → debit the source (or fail the transfer if the source refuses) → debited → credit the target (or refund
 * the source if the target refuses: closed, frozen, another currency, no such account) → complete. An account whose
 * stored events overflow its balance ({@link BalanceOverflow}) refuses too, so that it fails or reverses the transfers
 * that reach it rather than stopping every transfer of the bank.
 *
 * <p>It is exactly once in effect: every command it sends carries an idempotency key made of the transfer and the
 * step, so when a crash makes it see an event again, the repeated command returns its first result and moves no
 * money. Its commands append in the worker's transaction, so they commit together with its checkpoint.
 */
@Component
@Projection("transfer-process")
class TransferProcess {

    private final CommandGateway commands;

    TransferProcess(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(TransferRequested requested, EventContext context) {
        try {
            send(new DebitForTransfer(requested.fromAccountId(), requested.transferId(), requested.toAccountId(),
                    requested.amount(), requested.currency()), context, requested.transferId(), "debit");
        } catch (AccountRuleViolation | BalanceOverflow | AggregateNotFoundException refused) {
            send(new FailTransfer(requested.transferId(), refused.getMessage()), context, requested.transferId(),
                    "fail");
        }
    }

    @EventHandler
    void on(MoneyDebitedForTransfer debited, EventContext context) {
        send(new RecordDebit(debited.transferId()), context, debited.transferId(), "debited");
        try {
            send(new CreditForTransfer(debited.toAccountId(), debited.transferId(), debited.accountId(),
                    debited.amount(), debited.currency()), context, debited.transferId(), "credit");
        } catch (AccountRuleViolation | BalanceOverflow | AggregateNotFoundException refused) {
            send(new RefundTransfer(debited.accountId(), debited.transferId(), debited.amount(),
                    refused.getMessage()), context, debited.transferId(), "refund");
        }
    }

    @EventHandler
    void on(MoneyCreditedByTransfer credited, EventContext context) {
        send(new CompleteTransfer(credited.transferId()), context, credited.transferId(), "complete");
    }

    @EventHandler
    void on(TransferRefunded refunded, EventContext context) {
        send(new RecordRefund(refunded.transferId(), refunded.reason()), context, refunded.transferId(), "reversed");
    }

    private void send(Object command, EventContext cause, String transferId, String step) {
        commands.sendAndWait(CommandMessage.causedBy(command, cause.metadata())
                .withIdempotencyKey("transfer:" + transferId + ":" + step));
    }
}
