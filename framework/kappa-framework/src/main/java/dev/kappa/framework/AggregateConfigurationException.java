package dev.kappa.framework;

import java.util.List;

/**
 * Aggregate classes that cannot work as declared, found at start-up. Each problem names the class and method and
 * says how to fix it; all problems are reported at once.
 */
public class AggregateConfigurationException extends IllegalStateException {

    private final List<String> problems;

    public AggregateConfigurationException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one sentence each. */
    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        StringBuilder message = new StringBuilder(problems.size() + " problems with aggregate classes:");
        for (String problem : problems) {
            message.append("\n - ").append(problem);
        }
        return message.toString();
    }
}
