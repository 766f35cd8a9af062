package dev.kappa.boot.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.kappa.boot.autoconfigure.projections.InvalidProjectionException;

/** Turns a projection the runtime refuses at start-up into a failure analysis instead of a stack trace. */
class InvalidProjectionFailureAnalyzer extends AbstractFailureAnalyzer<InvalidProjectionException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidProjectionException cause) {
        return new FailureAnalysis("Kappa cannot run a projection:\n\n  - " + cause.getMessage(),
                "Fix the class named above. A @Projection needs a name of letters, digits, '-' and '_', at least one"
                        + " @EventHandler method taking an event (and optionally its EventContext) and returning void,"
                        + " and at most one @ResetHandler; see docs/projections.md.",
                cause);
    }
}
