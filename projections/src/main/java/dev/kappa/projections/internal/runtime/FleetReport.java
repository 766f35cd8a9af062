package dev.kappa.projections.internal.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import dev.kappa.projections.FleetInstance;
import dev.kappa.projections.internal.lease.PostgresLeases;
import dev.kappa.projections.internal.worker.SegmentWorker;

/**
 * Puts the fleet together: the instances the database's memberships and leases show, with this runtime's in-memory
 * projections (which no other instance sees) added to its own entry. Where every projection here is in memory, the
 * database is not asked and the fleet is this instance alone.
 *
 * <p>While the database does not answer it is this instance alone as well, with the heartbeat it last saw of itself
 * (not alive once that has lapsed, or if it never saw one): like a status report, the fleet shows what this instance
 * knows rather than failing.
 *
 * <p>Thread-safe.
 */
final class FleetReport {

    private final RuntimeSettings settings;
    private final ProjectionRegistry registry;
    private final PostgresLeases leases;
    /** This instance's heartbeat as last read: what it shows of itself while the database does not answer. */
    private final AtomicReference<Instant> lastHeartbeat = new AtomicReference<>();

    FleetReport(RuntimeSettings settings, ProjectionRegistry registry, PostgresLeases leases) {
        this.settings = settings;
        this.registry = registry;
        this.leases = leases;
    }

    List<FleetInstance> fleet(DatabaseLook look) {
        boolean shared = registry.all().stream().anyMatch(handle -> !handle.inMemory());
        Optional<List<PostgresLeases.Member>> members = shared ? look.ask(leases::fleet) : Optional.empty();
        String me = settings.instanceId();
        List<FleetInstance> fleet = new ArrayList<>();
        PostgresLeases.Member mine = null;
        for (PostgresLeases.Member member : members.orElse(List.of())) {
            if (member.instanceId().equals(me)) {
                mine = member;
            } else {
                fleet.add(new FleetInstance(member.instanceId(), false, member.heartbeatUntil(), member.alive(),
                        member.projections(), member.segments()));
            }
        }
        fleet.add(self(mine, shared && members.isEmpty()));
        fleet.sort(Comparator.comparing(FleetInstance::instanceId));
        return fleet;
    }

    /**
     * This instance: its membership's figures, with the in-memory projections and segments it runs.
     *
     * @param mine   its membership as the database has it, or null
     * @param cutOff whether the database did not answer
     */
    private FleetInstance self(PostgresLeases.Member mine, boolean cutOff) {
        Instant now = settings.clock().instant();
        TreeSet<String> projections = new TreeSet<>();
        int segments = 0;
        for (ProjectionHandle handle : registry.all()) {
            if (handle.inMemory()) {
                projections.add(handle.name());
                segments += (int) handle.runs().stream().flatMap(run -> run.workers().stream())
                        .filter(SegmentWorker::owned).count();
            }
        }
        if (mine != null) {
            lastHeartbeat.set(mine.heartbeatUntil());
            projections.addAll(mine.projections());
            return new FleetInstance(mine.instanceId(), true, mine.heartbeatUntil(), mine.alive(),
                    List.copyOf(projections), mine.segments() + segments);
        }
        if (cutOff) {
            // its heartbeat cannot be renewed: it holds until the last one read says, and no longer; the leases are
            // the ones its workers still believe they hold
            Instant last = lastHeartbeat.get();
            Instant until = last != null ? last : now;
            List<ProjectionHandle> database = registry.all().stream().filter(handle -> !handle.inMemory()).toList();
            database.forEach(handle -> projections.add(handle.name()));
            segments += (int) database.stream().flatMap(handle -> handle.runs().stream())
                    .flatMap(run -> run.workers().stream()).filter(SegmentWorker::owned).count();
            return new FleetInstance(settings.instanceId(), true, until, last != null && !last.isBefore(now),
                    List.copyOf(projections), segments);
        }
        // in memory only, or not (or no longer) a member anywhere: alive while the runtime runs
        return new FleetInstance(settings.instanceId(), true, now, registry.started(), List.copyOf(projections),
                segments);
    }
}
