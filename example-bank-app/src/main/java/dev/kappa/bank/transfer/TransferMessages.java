package dev.kappa.bank.transfer;

import dev.kappa.eventstore.EventType;
import dev.kappa.framework.TargetAggregateId;

/** The commands and events of a transfer. Amounts are in minor units. */
public final class TransferMessages {

    private TransferMessages() {
    }

    public record RequestTransfer(@TargetAggregateId String transferId, String fromAccountId, String toAccountId,
                                  long amount, String currency) {
    }

    public record RecordDebit(@TargetAggregateId String transferId) {
    }

    public record CompleteTransfer(@TargetAggregateId String transferId) {
    }

    public record FailTransfer(@TargetAggregateId String transferId, String reason) {
    }

    public record RecordRefund(@TargetAggregateId String transferId, String reason) {
    }

    public sealed interface TransferEvent permits TransferRequested, TransferDebited, TransferCompleted,
            TransferFailed, TransferReversed {
        String transferId();
    }

    @EventType("TransferRequested")
    public record TransferRequested(String transferId, String fromAccountId, String toAccountId, long amount,
                                    String currency) implements TransferEvent {
    }

    /** The money has left the source account. */
    @EventType("TransferDebited")
    public record TransferDebited(String transferId) implements TransferEvent {
    }

    /** The money has reached the target account. */
    @EventType("TransferCompleted")
    public record TransferCompleted(String transferId) implements TransferEvent {
    }

    /** The source account refused to pay: no money moved. */
    @EventType("TransferFailed")
    public record TransferFailed(String transferId, String reason) implements TransferEvent {
    }

    /** The target account refused the money, which went back to the source. */
    @EventType("TransferReversed")
    public record TransferReversed(String transferId, String reason) implements TransferEvent {
    }
}
