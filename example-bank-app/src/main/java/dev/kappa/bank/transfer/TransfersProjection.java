package dev.kappa.bank.transfer;

import org.springframework.stereotype.Component;

import dev.kappa.bank.transfer.TransferMessages.TransferCompleted;
import dev.kappa.bank.transfer.TransferMessages.TransferDebited;
import dev.kappa.bank.transfer.TransferMessages.TransferFailed;
import dev.kappa.bank.transfer.TransferMessages.TransferRequested;
import dev.kappa.bank.transfer.TransferMessages.TransferReversed;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;

/**
 * Keeps {@code transfers}: where each transfer stands. Each step overwrites the transfer's status, so the read model
 * cannot be taken back to an earlier offset: its reset handler clears it, and it can be reset only to 0.
 */
@Component
@Projection("transfers")
class TransfersProjection {

    private final TransferViewRepository transfers;

    TransfersProjection(TransferViewRepository transfers) {
        this.transfers = transfers;
    }

    @EventHandler
    void on(TransferRequested event) {
        transfers.requested(event.transferId(), event.fromAccountId(), event.toAccountId(), event.amount(),
                event.currency());
    }

    @EventHandler
    void on(TransferDebited event) {
        transfers.status(event.transferId(), Transfer.Status.DEBITED.name(), null);
    }

    @EventHandler
    void on(TransferCompleted event) {
        transfers.status(event.transferId(), Transfer.Status.COMPLETED.name(), null);
    }

    @EventHandler
    void on(TransferFailed event) {
        transfers.status(event.transferId(), Transfer.Status.FAILED.name(), event.reason());
    }

    @EventHandler
    void on(TransferReversed event) {
        transfers.status(event.transferId(), Transfer.Status.REVERSED.name(), event.reason());
    }

    @ResetHandler
    void reset() {
        transfers.clear();
    }
}
