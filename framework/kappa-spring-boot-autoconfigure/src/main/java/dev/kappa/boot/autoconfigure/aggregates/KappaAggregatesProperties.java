package dev.kappa.boot.autoconfigure.aggregates;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of aggregates and the command gateway.
 *
 * @param cacheSize   How many loaded aggregates the gateway keeps in memory; 0 for none.
 * @param maxAttempts How many times a command is run when its aggregate keeps changing under it (a version conflict
 *                    with another process); the last attempt holds the log's append lock, so it cannot conflict.
 * @param packages    Packages to look for @Aggregate and @EventType classes in; by default those of the application
 *                    (the @SpringBootApplication class's package and below).
 */
@ConfigurationProperties("kappa.aggregates")
public record KappaAggregatesProperties(
        @DefaultValue("10000") long cacheSize,
        @DefaultValue("5") int maxAttempts,
        List<String> packages) {

    public KappaAggregatesProperties {
        packages = packages == null ? List.of() : List.copyOf(packages);
    }
}
