package dev.kappa.framework.internal.gateway;

/**
 * An aggregate instance and the stream version its state includes.
 *
 * <p>Not thread-safe: an instance is only used under its aggregate's lock.
 */
record LoadedAggregate<A>(A instance, long version) {
}
