package dev.kappa.eventstore.internal.append;

import java.util.List;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.ConcurrencyException;

/** What became of one append call in a batch: written, with its results, or rejected by a version conflict. */
record AppendOutcome(List<AppendResult> results, ConcurrencyException conflict) {

    static AppendOutcome appended(List<AppendResult> results) {
        return new AppendOutcome(List.copyOf(results), null);
    }

    static AppendOutcome rejected(ConcurrencyException conflict) {
        return new AppendOutcome(List.of(), conflict);
    }
}
