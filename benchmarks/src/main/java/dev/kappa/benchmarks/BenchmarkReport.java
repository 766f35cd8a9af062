package dev.kappa.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a run found: one figure per phase, printed as {@code phase=<name> value=<number> unit=<unit>} so that two
 * systems' lines can be put side by side, the sums checked against the workload's, and notes ({@code # …} lines)
 * that say where the time went.
 *
 * <p>Not thread-safe: the benchmark's main thread reports.
 */
final class BenchmarkReport {

    /** One figure. */
    record Figure(String phase, double value, String unit) {
        String line() {
            String number = value >= 100
                    ? String.format(Locale.ROOT, "%.0f", value)
                    : String.format(Locale.ROOT, "%.2f", value);
            return "phase=" + phase + " value=" + number + " unit=" + unit;
        }
    }

    /** One comparison of what the store or read model holds with what the workload says it must. */
    record SumCheck(String what, long expected, long actual) {
        boolean matches() {
            return expected == actual;
        }

        String line() {
            return "check=" + what + " expected=" + expected + " actual=" + actual + (matches() ? " ok" : " MISMATCH");
        }
    }

    private final PrintStream out;
    private final List<Figure> figures = new ArrayList<>();
    private final List<SumCheck> checks = new ArrayList<>();

    BenchmarkReport(PrintStream out) {
        this.out = out;
    }

    void figure(String phase, double value, String unit) {
        Figure figure = new Figure(phase, value, unit);
        figures.add(figure);
        out.println(figure.line());
    }

    void check(String what, long expected, long actual) {
        SumCheck check = new SumCheck(what, expected, actual);
        checks.add(check);
        out.println(check.line());
    }

    /** A line for the reader, not for comparison: it starts with {@code #}. */
    void note(String format, Object... args) {
        out.println("# " + String.format(Locale.ROOT, format, args));
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    /** The value of the figure last reported under {@code phase}'s name. */
    double value(String phase) {
        for (int i = figures.size() - 1; i >= 0; i--) {
            if (figures.get(i).phase().equals(phase)) {
                return figures.get(i).value();
            }
        }
        throw new IllegalStateException("no figure named '" + phase + "' was reported; the figures so far: "
                + figures.stream().map(Figure::phase).toList());
    }

    List<SumCheck> checks() {
        return List.copyOf(checks);
    }

    /** Whether every sum matched (and at least one was checked). */
    boolean sumsMatch() {
        return !checks.isEmpty() && checks.stream().allMatch(SumCheck::matches);
    }
}
