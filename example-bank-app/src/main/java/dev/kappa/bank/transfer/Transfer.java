package dev.kappa.bank.transfer;

import dev.kappa.bank.transfer.TransferMessages.CompleteTransfer;
import dev.kappa.bank.transfer.TransferMessages.FailTransfer;
import dev.kappa.bank.transfer.TransferMessages.RecordDebit;
import dev.kappa.bank.transfer.TransferMessages.RecordRefund;
import dev.kappa.bank.transfer.TransferMessages.RequestTransfer;
import dev.kappa.bank.transfer.TransferMessages.TransferCompleted;
import dev.kappa.bank.transfer.TransferMessages.TransferDebited;
import dev.kappa.bank.transfer.TransferMessages.TransferFailed;
import dev.kappa.bank.transfer.TransferMessages.TransferRequested;
import dev.kappa.bank.transfer.TransferMessages.TransferReversed;
import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.EventSourcingHandler;

/**
 * A transfer between two accounts, and where it stands: requested, debited, then completed, or failed (nothing moved)
 * or reversed (the money went back). Each step is recorded once: repeating one decides nothing.
 */
@Aggregate(streamPrefix = "transfer-")
public class Transfer {

    /** Where a transfer stands. */
    public enum Status { REQUESTED, DEBITED, COMPLETED, FAILED, REVERSED }

    @AggregateId
    private String id;
    private Status status;

    private Transfer() {
    }

    @CommandHandler
    static TransferRequested request(RequestTransfer command) {
        if (command.amount() <= 0) {
            throw new InvalidTransfer("a transfer must move a positive amount but was " + command.amount());
        }
        if (command.fromAccountId().equals(command.toAccountId())) {
            throw new InvalidTransfer("a transfer needs two different accounts, not '" + command.fromAccountId()
                    + "' twice");
        }
        return new TransferRequested(command.transferId(), command.fromAccountId(), command.toAccountId(),
                command.amount(), command.currency());
    }

    @CommandHandler
    TransferDebited recordDebit(RecordDebit command) {
        return status == Status.REQUESTED ? new TransferDebited(id) : null;
    }

    @CommandHandler
    TransferCompleted complete(CompleteTransfer command) {
        return status == Status.DEBITED ? new TransferCompleted(id) : null;
    }

    @CommandHandler
    TransferFailed fail(FailTransfer command) {
        return status == Status.REQUESTED ? new TransferFailed(id, command.reason()) : null;
    }

    @CommandHandler
    TransferReversed recordRefund(RecordRefund command) {
        return status == Status.DEBITED ? new TransferReversed(id, command.reason()) : null;
    }

    @EventSourcingHandler
    void on(TransferRequested event) {
        id = event.transferId();
        status = Status.REQUESTED;
    }

    @EventSourcingHandler
    void on(TransferDebited event) {
        status = Status.DEBITED;
    }

    @EventSourcingHandler
    void on(TransferCompleted event) {
        status = Status.COMPLETED;
    }

    @EventSourcingHandler
    void on(TransferFailed event) {
        status = Status.FAILED;
    }

    @EventSourcingHandler
    void on(TransferReversed event) {
        status = Status.REVERSED;
    }
}
