package dev.kappa.projections.internal.runtime;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.StoreOutage;
import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.internal.worker.SegmentWorker;

/**
 * The projections registered in a runtime, by name, and where the runtime is in its life: projections are registered
 * while it is new, run while it is started, and stopped for good once it is closed.
 *
 * <p>Thread-safe.
 */
final class ProjectionRegistry {

    /** Where a runtime is in its life. */
    enum Lifecycle { NEW, STARTED, CLOSED }

    private final Map<String, ProjectionHandle> handles = new ConcurrentSkipListMap<>();
    private volatile Lifecycle state = Lifecycle.NEW;

    /**
     * Registers a definition under its name.
     *
     * @throws IllegalStateException    if the runtime is no longer new
     * @throws IllegalArgumentException if it clashes with a definition already registered
     */
    synchronized void register(ProjectionDefinition definition, EventCodec codec, TopicSources.Fed fed) {
        if (state != Lifecycle.NEW) {
            throw new IllegalStateException("cannot register " + definition + ": the runtime is "
                    + state.name().toLowerCase() + "; register every projection before start()");
        }
        ProjectionHandle handle = handles.getOrDefault(definition.name(), new ProjectionHandle(definition.name()));
        handle.add(definition, codec, fed == null ? "" : fed.topic(), fed == null ? null : fed.source());
        handles.putIfAbsent(definition.name(), handle);
    }

    /**
     * Moves the runtime from new to started.
     *
     * @throws IllegalStateException if it is not new
     */
    synchronized void start() {
        if (state != Lifecycle.NEW) {
            throw new IllegalStateException("the runtime is already " + state.name().toLowerCase());
        }
        state = Lifecycle.STARTED;
    }

    /** Moves the runtime to closed; whether it was not closed already. */
    synchronized boolean close() {
        if (state == Lifecycle.CLOSED) {
            return false;
        }
        state = Lifecycle.CLOSED;
        return true;
    }

    boolean started() {
        return state == Lifecycle.STARTED;
    }

    Collection<ProjectionHandle> all() {
        return handles.values();
    }

    Set<String> names() {
        return handles.keySet();
    }

    /** The projection of that name, or {@code null}. */
    ProjectionHandle find(String projection) {
        return handles.get(projection);
    }

    /**
     * The projection of that name.
     *
     * @throws IllegalArgumentException if none is registered under it
     */
    ProjectionHandle handle(String projection) {
        ProjectionHandle handle = handles.get(projection);
        if (handle == null) {
            throw new IllegalArgumentException("no projection named '" + projection + "' is registered; registered: "
                    + handles.keySet());
        }
        return handle;
    }

    /**
     * The projection of that name, for a control operation.
     *
     * @throws IllegalArgumentException if none is registered under it
     * @throws IllegalStateException    if the runtime is not started
     */
    ProjectionHandle started(String projection) {
        ProjectionHandle handle = handle(projection);
        if (state != Lifecycle.STARTED) {
            throw new IllegalStateException("the runtime is " + state.name().toLowerCase() + ": start it before"
                    + " resetting, rebuilding or restarting projection '" + projection + "'");
        }
        return handle;
    }

    /** The earliest outage a worker here is waiting out, or null. */
    StoreOutage knownOutage() {
        return handles.values().stream().flatMap(handle -> handle.runs().stream())
                .flatMap(run -> run.workers().stream()).flatMap(worker -> worker.outage().stream())
                .min(Comparator.comparing(StoreOutage::since)).orElse(null);
    }

    /** Every worker of every generation run here. */
    Stream<SegmentWorker> workers() {
        return handles.values().stream().flatMap(handle -> handle.runs().stream())
                .flatMap(run -> run.workers().stream());
    }
}
