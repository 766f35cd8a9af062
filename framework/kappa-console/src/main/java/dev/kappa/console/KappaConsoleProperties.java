package dev.kappa.console;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the operator console ({@code kappa.console.*}).
 *
 * @param enabled         Whether the console is served at all, in a servlet web application that has projections.
 * @param path            Where the console is served: the page at this path, its state, stream, actions and assets
 *                        below it.
 * @param refreshInterval How often the live stream sends a new state to every open page.
 * @param writeAccess     Whether the console offers actions (reset, rebuild, restart, skip, replay) at all; even then
 *                        only to a signed-in user who holds the operator role. Off, it only shows.
 * @param operatorRole    The role a user must hold to act, without Spring Security's ROLE_ prefix.
 * @param rateWindow      How far back the log's append-rate chart goes.
 */
@ConfigurationProperties("kappa.console")
public record KappaConsoleProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("/kappa") String path,
        @DefaultValue("1s") Duration refreshInterval,
        @DefaultValue("false") boolean writeAccess,
        @DefaultValue("OPERATOR") String operatorRole,
        @DefaultValue("5m") Duration rateWindow) {

    public KappaConsoleProperties {
        if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException("kappa.console.path: must be a path such as /kappa (segments of"
                    + " letters, digits and . _ ~ -, no trailing slash), not '" + path + "'");
        }
        if (refreshInterval == null || refreshInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("kappa.console.refresh-interval: must be at least 100ms, not "
                    + refreshInterval);
        }
        if (rateWindow == null || rateWindow.compareTo(Duration.ofSeconds(10)) < 0
                || rateWindow.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("kappa.console.rate-window: must be between 10s and 24h, not "
                    + rateWindow);
        }
        if (operatorRole == null || operatorRole.isBlank() || operatorRole.startsWith("ROLE_")) {
            throw new IllegalArgumentException("kappa.console.operator-role: must name a role without the ROLE_"
                    + " prefix (such as OPERATOR), not '" + operatorRole + "'");
        }
    }
}
