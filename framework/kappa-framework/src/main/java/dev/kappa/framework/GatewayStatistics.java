package dev.kappa.framework;

/**
 * Counts of what a {@link CommandGateway} has done since it started.
 *
 * @param commandsSucceeded commands that returned a result
 * @param commandsFailed    commands that ended with an exception (business rules included)
 * @param conflictRetries   times a handler was run again because its aggregate changed under it
 * @param cacheHits         loads answered by the aggregate cache
 * @param cacheMisses       loads that read the event store
 * @param snapshotsSaved    snapshots written
 */
public record GatewayStatistics(long commandsSucceeded, long commandsFailed, long conflictRetries, long cacheHits,
                                long cacheMisses, long snapshotsSaved) {
}
