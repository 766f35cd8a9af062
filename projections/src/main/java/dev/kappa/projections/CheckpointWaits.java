package dev.kappa.projections;

import java.time.Duration;

/**
 * Read your writes: waits until a projection has applied an offset of the log (the last offset of an append, say), so
 * that a read after a write sees it.
 *
 * <pre>{@code
 * // result: the AppendResult of the write
 * CheckpointWait wait = checkpoints.awaitCheckpoint("account-balances", result.toOffset(), Duration.ofSeconds(2));
 * if (!wait.reached()) { ... answer 503, the read model is behind ... }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface CheckpointWaits {

    /**
     * Waits until the projection has applied {@code offset} (the last offset of an append, say) to the read model
     * readers use, or the timeout passes. Woken by the workers' commits, in this process or another, not by polling.
     * For a projection that reads a topic the relay writes, it first waits until the relay has carried the log through
     * {@code offset}, then until each partition is applied up to where it ended then; the wait's checkpoint is then
     * {@code offset} once reached, and below it until then.
     *
     * @throws InterruptedException if the calling thread is interrupted
     */
    CheckpointWait awaitCheckpoint(String projection, long offset, Duration timeout) throws InterruptedException;
}
