package dev.kappa.framework.internal.gateway;

/**
 * An aggregate instance, the stream version its state includes, and whether it came from the cache (and so may be
 * behind the stream, if another process appended).
 *
 * <p>Not thread-safe: an instance is only used under its aggregate's lock.
 */
record LoadedAggregate<A>(A instance, long version, boolean cached) {

    LoadedAggregate<A> asCached() {
        return new LoadedAggregate<>(instance, version, true);
    }
}
