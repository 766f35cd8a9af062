package dev.kappa.eventstore;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of an {@link EventAppender#appendOnce append with an idempotency key}.
 *
 * @param results         where the events landed, one result per stream in the order given; for a repeated key,
 *                        the results of the first append
 * @param alreadyAppended whether an append with this key had been made before, so that nothing was appended now
 */
public record AppendOnceResult(List<AppendResult> results, boolean alreadyAppended) {

    public AppendOnceResult {
        Objects.requireNonNull(results, "results must not be null");
        if (results.isEmpty()) {
            throw new IllegalArgumentException("an append has at least one result");
        }
        results = List.copyOf(results);
    }
}
