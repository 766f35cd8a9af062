package dev.kappa.eventstore.internal.append;

import java.util.List;

import dev.kappa.eventstore.Appended;
import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.ConcurrencyException;
import dev.kappa.eventstore.IdempotencyKeyReusedException;

/**
 * What became of one append call in a batch: written, with its results; answered with the results of an earlier
 * append under the same idempotency key; or refused, writing nothing, by a version conflict or because its key was
 * first used for a different request.
 *
 * @param refusal why nothing was written and the call fails, or {@code null}
 */
record AppendOutcome(List<AppendResult> results, boolean alreadyAppended, RuntimeException refusal) {

    static AppendOutcome appended(List<AppendResult> results) {
        return new AppendOutcome(List.copyOf(results), false, null);
    }

    static AppendOutcome alreadyAppended(List<AppendResult> firstResults) {
        return new AppendOutcome(List.copyOf(firstResults), true, null);
    }

    static AppendOutcome rejected(ConcurrencyException conflict) {
        return new AppendOutcome(List.of(), false, conflict);
    }

    static AppendOutcome refused(IdempotencyKeyReusedException reused) {
        return new AppendOutcome(List.of(), false, reused);
    }

    Appended toResult() {
        return new Appended(results, alreadyAppended);
    }
}
