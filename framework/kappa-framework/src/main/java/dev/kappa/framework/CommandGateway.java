package dev.kappa.framework;

import java.util.concurrent.CompletableFuture;

import dev.kappa.eventstore.EventStore;

/**
 * Sends commands to the aggregates that handle them.
 *
 * <p>For a command on an existing aggregate, the gateway loads it (from its cache, or from its latest snapshot plus
 * newer events), runs the handler, applies the events and appends them with the version it loaded. If someone else
 * appended in between, it reloads and runs the handler again, up to a configured number of attempts; the last attempt
 * decides while holding the log's append lock, so that a command on an aggregate that other processes keep changing
 * still gets through. Commands on the same aggregate from threads of this process run one at a time, so they do not
 * conflict with each other. An exception thrown by a handler (a broken business
 * rule) reaches the caller unchanged, and nothing is appended.
 *
 * <p>Called inside a Spring-managed transaction, {@link #sendAndWait} appends in that transaction.
 *
 * <p>Thread-safe.
 */
public interface CommandGateway extends AutoCloseable {

    /** A builder for a gateway that appends to {@code store}. */
    static CommandGatewayBuilder builder(EventStore store) {
        return new CommandGatewayBuilder(store);
    }

    /** Sends a command on a thread of the gateway's executor; the future completes with its result or its failure. */
    CompletableFuture<CommandResult> send(Object command);

    /** {@link #send(Object)} with metadata, causation or an idempotency key. */
    CompletableFuture<CommandResult> send(CommandMessage<?> message);

    /**
     * Handles a command on the calling thread and returns its result.
     *
     * @throws NoHandlerForCommandException     if no aggregate handles the command's type
     * @throws AggregateNotFoundException       if the target aggregate does not exist
     * @throws AggregateAlreadyExistsException  if a creating command's aggregate exists already
     * @throws RuntimeException                 whatever the handler threw, unchanged
     */
    CommandResult sendAndWait(Object command);

    /**
     * {@link #sendAndWait(Object)} with metadata, causation or an idempotency key.
     *
     * @throws dev.kappa.eventstore.IdempotencyKeyReusedException if the message's idempotency key was first given
     *                                                           with a different request fingerprint; nothing is
     *                                                           applied
     */
    CommandResult sendAndWait(CommandMessage<?> message);

    /** Counts of what the gateway has done so far. */
    GatewayStatistics statistics();

    /** Stops the gateway's own executor and snapshot writer, letting work in hand finish. */
    @Override
    void close();
}
