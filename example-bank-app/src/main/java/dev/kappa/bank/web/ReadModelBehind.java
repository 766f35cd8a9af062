package dev.kappa.bank.web;

/**
 * A read asked for a read model that includes an offset the model has not reached within the wait: answered with 503
 * and {@code Retry-After}, so that the client retries rather than reads stale data.
 */
class ReadModelBehind extends RuntimeException {

    private final String projection;
    private final long offset;
    private final long checkpoint;

    ReadModelBehind(String projection, long offset, long checkpoint) {
        super("the read model '" + projection + "' is at offset " + checkpoint + ", not yet at " + offset
                + "; retry shortly");
        this.projection = projection;
        this.offset = offset;
        this.checkpoint = checkpoint;
    }

    String projection() {
        return projection;
    }

    long offset() {
        return offset;
    }

    long checkpoint() {
        return checkpoint;
    }
}
