package dev.kappa.framework.internal.gateway;

import java.util.concurrent.Executor;

import io.micrometer.observation.ObservationRegistry;

import dev.kappa.framework.CommandObserver;

/**
 * The validated settings of a command gateway; defaults live in {@code CommandGatewayBuilder}.
 *
 * @param maxAttempts how many times a command is run through version conflicts
 * @param cacheSize   how many loaded aggregates are kept, 0 for none
 * @param executor    where {@code send} runs commands, or {@code null} for the gateway's own pool
 * @param snapshots   whether snapshots are read and written
 * @param observer    hears every command
 * @param observationRegistry observes every command ({@link ObservationRegistry#NOOP} for none)
 */
public record GatewaySettings(int maxAttempts, long cacheSize, Executor executor, boolean snapshots,
                              CommandObserver observer, ObservationRegistry observationRegistry) {
}
