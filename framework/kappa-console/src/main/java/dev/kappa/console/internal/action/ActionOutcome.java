package dev.kappa.console.internal.action;

import org.jspecify.annotations.Nullable;

import dev.kappa.console.internal.state.ConsoleState.ActionRecord;

/**
 * What came of an action, as recorded and as the page is answered.
 *
 * @param record  what the action log keeps
 * @param status  the HTTP status of the answer: 200 when done, else the problem's
 * @param problem the problem's name (after the type prefix) when not done, else null
 * @param title   the problem's title when not done, else null
 */
public record ActionOutcome(ActionRecord record, int status, @Nullable String problem, @Nullable String title) {

    /** Whether the action was carried out. */
    public boolean done() {
        return problem == null;
    }
}
