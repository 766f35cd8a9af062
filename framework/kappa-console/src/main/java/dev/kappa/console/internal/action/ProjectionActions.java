package dev.kappa.console.internal.action;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.console.internal.state.ConsoleState.ActionRecord;
import dev.kappa.console.internal.state.StateAssembler;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.NoSuchDeadLetterException;
import dev.kappa.projections.ProjectionControl;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionStatus;

/**
 * Carries out the console's actions on projections through {@link ProjectionControl}, whose rules decide (a reset to
 * an offset a projection cannot go back to is refused with the projection's own message), and records every attempt
 * in the action log with one log line. Who may act is checked before: this class only acts.
 *
 * <p>Thread-safe.
 */
public final class ProjectionActions {

    /** The actions the console offers. */
    public static final Set<String> ACTIONS = Set.of("reset", "rebuild", "restart", "skip", "replay");

    private static final Logger log = LoggerFactory.getLogger(ProjectionActions.class);

    private final ProjectionControl control;
    private final ProjectionMonitor monitor;
    private final ActionLog actions;
    private final StateAssembler assembler;
    private final Clock clock;

    public ProjectionActions(ProjectionControl control, ProjectionMonitor monitor, ActionLog actions,
                             StateAssembler assembler, Clock clock) {
        this.control = control;
        this.monitor = monitor;
        this.actions = actions;
        this.assembler = assembler;
        this.clock = clock;
    }

    /**
     * Acts, or refuses to, and records what came of it.
     *
     * @param user       who acts (already allowed to)
     * @param projection the projection, as the request names it
     * @param action     the action, as the request names it
     * @param request    the request's body, or null if it could not be read ({@code invalid} says why)
     * @param invalid    why the body could not be read, or null
     */
    public ActionOutcome act(@Nullable String user, String projection, String action, @Nullable ActionRequest request,
                             @Nullable String invalid) {
        Long offset = request == null ? null : request.offset();
        String note = request == null ? null : request.note();
        String name = ActionRequest.shown(projection);
        String verb = ActionRequest.shown(action.toLowerCase(Locale.ROOT));
        if (!ACTIONS.contains(action)) {
            return refused(user, name, verb, offset, note, 400, "invalid-request", "unknown action '" + verb
                    + "' for projection '" + name + "': use reset (with an optional offset), rebuild, restart, skip"
                    + " or replay (with the event's offset)");
        }
        if (invalid != null) {
            return refused(user, name, verb, offset, note, 400, "invalid-request", invalid);
        }
        List<String> known = monitor.status().stream().map(ProjectionStatus::name).toList();
        if (!known.contains(projection)) {
            return refused(user, name, verb, offset, note, 404, "not-found", "there is no projection '" + name
                    + "'; there are " + known);
        }
        if ((action.equals("skip") || action.equals("replay")) && offset == null) {
            return refused(user, name, verb, offset, note, 400, "invalid-request", "give the offset of the event"
                    + " to " + action + ": for a skip, the offset projection '" + name + "' is stopped at, as its"
                    + " failure shows; for a replay, the offset of one of its dead letters");
        }
        if (action.equals("reset") && offset == null) {
            offset = 0L; // recorded as what it is: a reset to the start
        }
        String operator = user == null ? DeadLetter.Decision.OPERATOR : user;
        try {
            String result;
            switch (action) {
                case "reset" -> {
                    long to = offset;
                    control.reset(projection, to);
                    assembler.resetStarted(projection, to);
                    result = "projection '" + projection + "' reset to offset " + to + ": it replays the log from"
                            + " there";
                }
                case "rebuild" -> {
                    control.rebuild(projection);
                    result = "projection '" + projection + "' is being rebuilt beside the version readers use;"
                            + " readers switch once it has caught up";
                }
                case "restart" -> {
                    control.restart(projection);
                    result = "projection '" + projection + "' restarted";
                }
                case "skip" -> {
                    control.skip(projection, offset, operator, note);
                    result = "projection '" + projection + "' skipped the event at offset " + offset + ", kept as a"
                            + " dead letter";
                }
                default -> {
                    List<DeadLetter> letters = control.replay(projection, offset, operator);
                    DeadLetter failed = letters.stream()
                            .filter(letter -> letter.state() != DeadLetter.State.REPLAYED).findFirst().orElse(null);
                    if (failed != null) {
                        return outcome(user, projection, action, offset, note, "FAILED", 409, "replay-failed",
                                "the handler failed again on the event at offset " + offset + " ("
                                        + failed.errorType() + ": " + failed.message() + "); the letter stays "
                                        + failed.state() + ". Fix the handler or the data it needs, then replay it"
                                        + " again");
                    }
                    result = "projection '" + projection + "' applied the dead letter at offset " + offset + " again";
                }
            }
            return outcome(user, projection, action, offset, note, "DONE", 200, null, result);
        } catch (NoSuchDeadLetterException e) {
            return refused(user, projection, action, offset, note, 400, "operation-refused", "projection '"
                    + projection + "' has no dead letter at offset " + e.offset());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the projection's own rules refused: its message says what to do instead
            return refused(user, projection, action, offset, note, 400, "operation-refused",
                    String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("console: {} of projection '{}' failed", action, projection, e);
            return outcome(user, projection, action, offset, note, "FAILED", 500, "action-failed", action
                    + " of projection '" + projection + "' failed: " + e.getMessage()
                    + "; see the application's log, then try again");
        }
    }

    private ActionOutcome refused(@Nullable String user, String projection, String action, @Nullable Long offset,
                                  @Nullable String note, int status, String problem, String detail) {
        return outcome(user, projection, action, offset, note, "REFUSED", status, problem, detail);
    }

    private ActionOutcome outcome(@Nullable String user, String projection, String action, @Nullable Long offset,
                                  @Nullable String note, String result, int status, @Nullable String problem,
                                  String detail) {
        ActionRecord record = new ActionRecord(clock.instant().toString(), user, projection, action, offset, note,
                result, detail);
        try {
            actions.record(record);
        } catch (RuntimeException e) {
            log.warn("console: could not record the {} of projection '{}' in kappa_console_actions: {}", action,
                    projection, e.getMessage());
        }
        log.info("console: {} by {} on projection '{}'{}: {} ({})", action, user == null ? "nobody signed in" : user,
                projection, offset == null ? "" : " at offset " + offset, result, detail);
        String title = problem == null ? null : "cannot " + action + " projection '" + projection + "'";
        return new ActionOutcome(record, status, problem, title);
    }
}
