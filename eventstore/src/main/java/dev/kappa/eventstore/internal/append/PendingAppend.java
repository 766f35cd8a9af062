package dev.kappa.eventstore.internal.append;

import java.util.concurrent.CompletableFuture;

import io.micrometer.observation.Observation;

import dev.kappa.eventstore.Appended;

/**
 * A prepared append call waiting in the group-commit queue, the future its caller waits on, and its observation (the
 * group commit's parent), or {@code null} when it is not observed.
 */
record PendingAppend(PreparedAppend append, CompletableFuture<Appended> result, Observation observation) {

    PendingAppend(PreparedAppend append, Observation observation) {
        this(append, new CompletableFuture<>(), observation);
    }
}
