package dev.kappa.boot.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.kappa.framework.AggregateConfigurationException;

/**
 * Turns problems with aggregate classes found at start-up into a failure analysis that lists them, instead of a
 * stack trace.
 */
class AggregateConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<AggregateConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AggregateConfigurationException cause) {
        StringBuilder description = new StringBuilder("Kappa found ")
                .append(cause.problems().size() == 1 ? "a problem" : cause.problems().size() + " problems")
                .append(" with the application's @Aggregate classes:\n");
        for (String problem : cause.problems()) {
            description.append("\n  - ").append(problem);
        }
        return new FailureAnalysis(description.toString(),
                "Fix the classes and methods named above. Each @Aggregate needs a no-argument constructor, an"
                        + " @AggregateId field, a static @CommandHandler that creates it, and an @EventSourcingHandler"
                        + " for every event it emits; see docs/aggregates.md.",
                cause);
    }
}
