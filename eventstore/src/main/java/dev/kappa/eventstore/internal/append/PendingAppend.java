package dev.kappa.eventstore.internal.append;

import java.util.concurrent.CompletableFuture;

import dev.kappa.eventstore.Appended;

/** A prepared append call waiting in the group-commit queue, and the future its caller waits on. */
record PendingAppend(PreparedAppend append, CompletableFuture<Appended> result) {

    PendingAppend(PreparedAppend append) {
        this(append, new CompletableFuture<>());
    }
}
