package dev.kappa.boot.autoconfigure.aggregates;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Aggregate snapshots. How often an aggregate is snapshotted is part of its class: {@code @Aggregate(snapshotEvery)}.
 *
 * @param enabled Whether aggregates are loaded from and saved to snapshots; off, every load replays all events.
 */
@ConfigurationProperties("kappa.snapshots")
public record KappaSnapshotsProperties(@DefaultValue("true") boolean enabled) {
}
