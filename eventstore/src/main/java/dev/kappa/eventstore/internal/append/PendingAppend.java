package dev.kappa.eventstore.internal.append;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.kappa.eventstore.AppendResult;

/** A prepared append call waiting in the group-commit queue, and the future its caller waits on. */
record PendingAppend(PreparedAppend append, CompletableFuture<List<AppendResult>> result) {

    PendingAppend(PreparedAppend append) {
        this(append, new CompletableFuture<>());
    }
}
