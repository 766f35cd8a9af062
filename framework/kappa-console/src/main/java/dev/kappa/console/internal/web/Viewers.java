package dev.kappa.console.internal.web;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import dev.kappa.console.internal.state.Viewer;

/**
 * Tells who makes a request and whether they may act, from the servlet request alone: Spring Security (when the
 * application uses it) or the container answers {@code getUserPrincipal} and {@code isUserInRole}. The page is never
 * trusted with this: every action asks again. Immutable.
 */
final class Viewers {

    private final boolean writeAccess;
    private final String operatorRole;
    private final String signInPath;

    /**
     * @param signInPath the sign-in path the answers name, as the page links it
     */
    Viewers(boolean writeAccess, String operatorRole, String signInPath) {
        this.writeAccess = writeAccess;
        this.operatorRole = operatorRole;
        this.signInPath = signInPath;
    }

    /** Who asks, and whether they may act. */
    Viewer of(HttpServletRequest request) {
        String user = user(request);
        return new Viewer(user, refusal(request) == null);
    }

    /** Why the request may not act, or null if it may: the detail of the 403 problem. */
    @Nullable String refusal(HttpServletRequest request) {
        if (!writeAccess) {
            return "the console is read-only: write access is off (set kappa.console.write-access=true to allow"
                    + " actions for users who hold role " + operatorRole + ")";
        }
        String user = user(request);
        if (user == null) {
            return "nobody is signed in: sign in at " + signInPath + " as a user who holds role " + operatorRole;
        }
        if (!request.isUserInRole(operatorRole)) {
            return "user '" + user + "' does not hold role " + operatorRole + ", which actions need";
        }
        return null;
    }

    private static @Nullable String user(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        return principal == null || principal.getName() == null || principal.getName().isBlank() ? null
                : principal.getName();
    }
}
