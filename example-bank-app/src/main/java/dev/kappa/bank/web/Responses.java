package dev.kappa.bank.web;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** What writes answer with: what changed, and the offset to read it back at. */
final class Responses {

    private Responses() {
    }

    /**
     * The outcome of a write to an account.
     *
     * @param accountId the account
     * @param version   its version afterwards
     * @param offset    the offset of its last event: pass it to a read to see this write
     * @param repeated  whether this answers a retry with the same Idempotency-Key, which changed nothing
     */
    @Schema(description = "The outcome of a write to an account.")
    record AccountWritten(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The account.") String accountId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Its version afterwards.") long version,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The offset of its last event: give it to a"
                    + " read to see this write.") long offset,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Whether this answers a retry with the same"
                    + " Idempotency-Key, which changed nothing.") boolean repeated) {
    }

    /**
     * A transfer accepted: it completes (or fails, or is reversed) moments later, driven by the transfer process.
     *
     * @param transferId the transfer
     * @param status     its status when accepted
     * @param offset     the offset of its request: pass it to {@code GET /transfers/{id}} to see it
     * @param repeated   whether this answers a retry with the same Idempotency-Key
     */
    @Schema(description = "A transfer accepted; it completes moments later.")
    record TransferAccepted(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The transfer.") String transferId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Its status when accepted.",
                    example = "REQUESTED") String status,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The offset of its request: give it to a"
                    + " read to see the transfer.") long offset,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Whether this answers a retry with the same"
                    + " Idempotency-Key, which changed nothing.") boolean repeated) {
    }

    /**
     * A customer profile written.
     *
     * @param customerId the customer
     * @param offset     the offset of the record
     */
    @Schema(description = "A customer profile written or erased.")
    record ProfileWritten(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The customer.") String customerId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The offset of the record: give it to a read"
                    + " to see this write.") long offset) {
    }
}
