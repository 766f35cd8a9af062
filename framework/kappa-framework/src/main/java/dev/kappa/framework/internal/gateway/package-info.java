/**
 * Internal: the command gateway — routing a command to its aggregate, loading it from the cache or a snapshot and
 * its newer events, appending what it decided, retrying on version conflicts — with per-aggregate locks and the
 * aggregate cache. Users need none of it; they send commands through {@link dev.kappa.framework.CommandGateway}.
 */
package dev.kappa.framework.internal.gateway;
