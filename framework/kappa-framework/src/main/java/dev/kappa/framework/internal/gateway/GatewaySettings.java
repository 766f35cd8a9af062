package dev.kappa.framework.internal.gateway;

import java.util.concurrent.Executor;

import dev.kappa.framework.CommandObserver;

/**
 * The validated settings of a command gateway; defaults live in {@code CommandGatewayBuilder}.
 *
 * @param maxAttempts how many times a command is run through version conflicts
 * @param cacheSize   how many loaded aggregates are kept, 0 for none
 * @param executor    where {@code send} runs commands, or {@code null} for the gateway's own pool
 * @param snapshots   whether snapshots are read and written
 * @param observer    hears every command
 */
public record GatewaySettings(int maxAttempts, long cacheSize, Executor executor, boolean snapshots,
                              CommandObserver observer) {
}
