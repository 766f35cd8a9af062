package dev.kappa.console.internal.state;

import org.jspecify.annotations.Nullable;

/**
 * Who looks at the console: a signed-in user's name or nobody, and whether they may act.
 *
 * @param user   the signed-in user, or null
 * @param canAct whether write access is on and the user holds the operator role
 */
public record Viewer(@Nullable String user, boolean canAct) {

    /** Nobody signed in. */
    public static final Viewer ANONYMOUS = new Viewer(null, false);
}
