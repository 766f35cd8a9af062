package dev.kappa.eventstore.internal.append;

import java.util.List;

import dev.kappa.eventstore.AppendOnceResult;
import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.ConcurrencyException;

/**
 * What became of one append call in a batch: written, with its results; answered with the results of an earlier
 * append under the same idempotency key; or rejected by a version conflict.
 */
record AppendOutcome(List<AppendResult> results, boolean alreadyAppended, ConcurrencyException conflict) {

    static AppendOutcome appended(List<AppendResult> results) {
        return new AppendOutcome(List.copyOf(results), false, null);
    }

    static AppendOutcome alreadyAppended(List<AppendResult> firstResults) {
        return new AppendOutcome(List.copyOf(firstResults), true, null);
    }

    static AppendOutcome rejected(ConcurrencyException conflict) {
        return new AppendOutcome(List.of(), false, conflict);
    }

    AppendOnceResult toResult() {
        return new AppendOnceResult(results, alreadyAppended);
    }
}
