/**
 * Internal: the command gateway — routing a command to its aggregate, loading it from the cache or a snapshot and
 * its newer events, appending what it decided, retrying on version conflicts — with per-aggregate locks and the
 * aggregate cache. Users need none of it; they send commands through {@link dev.kappa.framework.CommandGateway}.
 *
 * <p>{@link dev.kappa.framework.internal.gateway.AggregateCommand} holds the rules of a command meeting its aggregate
 * (create or act, what is refused, at which expected version); it is public only so that {@code kappa-test}'s
 * aggregate fixture follows the very same rules.
 */
package dev.kappa.framework.internal.gateway;
