package dev.kappa.projections;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One instance of the application's fleet, as the database's projection heartbeats show it: every runtime that runs a
 * database projection on the same database renews a heartbeat per projection it runs.
 *
 * @param instanceId     the runtime's instance id
 * @param self           whether it is this instance
 * @param heartbeatUntil until when its latest heartbeat holds
 * @param alive          whether that heartbeat still holds: an instance that stopped renewing it has died or is
 *                       cut off from the database
 * @param projections    the projections it runs, by name, sorted
 * @param segments       how many projection segments it holds a lease on now
 */
public record FleetInstance(String instanceId, boolean self, Instant heartbeatUntil, boolean alive,
                            List<String> projections, int segments) {

    public FleetInstance {
        Objects.requireNonNull(instanceId, "instanceId must not be null");
        Objects.requireNonNull(heartbeatUntil, "heartbeatUntil must not be null");
        projections = List.copyOf(projections);
    }
}
