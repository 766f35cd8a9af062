package dev.kappa.bank.web;

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
    record AccountWritten(String accountId, long version, long offset, boolean repeated) {
    }

    /**
     * A transfer accepted: it completes (or fails, or is reversed) moments later, driven by the transfer process.
     *
     * @param transferId the transfer
     * @param status     its status when accepted
     * @param offset     the offset of its request: pass it to {@code GET /transfers/{id}} to see it
     * @param repeated   whether this answers a retry with the same Idempotency-Key
     */
    record TransferAccepted(String transferId, String status, long offset, boolean repeated) {
    }

    /**
     * A customer profile written.
     *
     * @param customerId the customer
     * @param offset     the offset of the record
     */
    record ProfileWritten(String customerId, long offset) {
    }
}
