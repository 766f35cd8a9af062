package dev.kappa.boot.web;

import java.util.Objects;

import dev.kappa.projections.CheckpointWait;

/**
 * A read asked for a read model that includes an offset the model has not reached within the wait. The starter's web
 * support answers it with a 503 problem of type {@code read-model-behind} and {@code Retry-After}, so that the client
 * retries rather than reads stale data. {@link ReadYourWrites} throws it; throw it yourself after a
 * {@code CheckpointWaits.awaitCheckpoint} that did not reach its offset.
 */
public class ReadModelBehindException extends RuntimeException {

    private final String projection;
    private final long offset;
    private final long checkpoint;

    public ReadModelBehindException(String projection, long offset, long checkpoint) {
        super("the read model '" + projection + "' is at offset " + checkpoint + ", not yet at " + offset
                + "; retry shortly");
        this.projection = Objects.requireNonNull(projection, "projection must not be null");
        this.offset = offset;
        this.checkpoint = checkpoint;
    }

    /** The outcome of a wait that did not reach its offset. */
    public ReadModelBehindException(CheckpointWait wait) {
        this(wait.projection(), wait.offset(), wait.checkpoint());
    }

    /** The projection that is behind. */
    public String projection() {
        return projection;
    }

    /** The offset the read asked for. */
    public long offset() {
        return offset;
    }

    /** The projection's checkpoint when the wait ended. */
    public long checkpoint() {
        return checkpoint;
    }
}
