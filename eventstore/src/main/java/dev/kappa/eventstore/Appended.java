package dev.kappa.eventstore;

import java.util.List;
import java.util.Objects;

/**
 * What an {@link EventAppender#append(AppendRequest) append request} did: where its events landed, or, for an
 * idempotency key used before, where the first request's events landed.
 *
 * @param results         where the events landed, one result per stream in the order of the request; for a repeated
 *                        key, the results of the first append
 * @param alreadyAppended whether an append with this idempotency key had been made before, so that nothing was
 *                        appended now; always {@code false} without a key
 */
public record Appended(List<AppendResult> results, boolean alreadyAppended) {

    public Appended {
        Objects.requireNonNull(results, "results must not be null");
        if (results.isEmpty()) {
            throw new IllegalArgumentException("an append has at least one result");
        }
        results = List.copyOf(results);
    }

    /** The result of the request's first stream: its only one, for a request to one stream. */
    public AppendResult result() {
        return results.get(0);
    }
}
