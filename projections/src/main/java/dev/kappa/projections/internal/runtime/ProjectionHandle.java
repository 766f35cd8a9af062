package dev.kappa.projections.internal.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.projections.FailureMode;
import dev.kappa.projections.internal.model.HandlerResolver;
import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.internal.segment.MemoryLedger;
import dev.kappa.projections.source.RecordSource;

/**
 * One projection name in this runtime: its registered definitions (several versions of a blue-green projection may
 * be registered), the generations it runs here, and, in memory, its ledgers.
 *
 * <p>Thread-safe. Control operations on the projection hold {@link #control()} so that they never interleave.
 */
public final class ProjectionHandle {

    private final String name;
    private final NavigableMap<Integer, ProjectionDefinition> definitions = new TreeMap<>();
    private final Map<ProjectionDefinition, HandlerResolver> resolvers = new ConcurrentHashMap<>();
    private final Map<Integer, GenerationRun> runs = new ConcurrentHashMap<>();
    private final ReentrantLock control = new ReentrantLock();
    private final List<MemoryLedger> memoryLedgers = new ArrayList<>();
    private volatile String note = "";
    /** The topic its definitions read, empty for the log; and its source, {@code null} for the log. */
    private String topic = "";
    private RecordSource source;

    ProjectionHandle(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    ReentrantLock control() {
        return control;
    }

    /**
     * Adds a definition.
     *
     * @throws IllegalArgumentException if it clashes with one already registered
     */
    synchronized void add(ProjectionDefinition definition, EventCodec codec, String topic, RecordSource source) {
        ProjectionDefinition same = definitions.get(definition.version());
        if (same != null) {
            throw new IllegalArgumentException("projection '" + name + "' version " + definition.version()
                    + " is already registered (" + same.target().getClass().getName() + "); give the new one a"
                    + " higher version");
        }
        if (!definitions.isEmpty()) {
            ProjectionDefinition other = definitions.firstEntry().getValue();
            if (!definition.blueGreen() || !other.blueGreen()) {
                throw new IllegalArgumentException("projection '" + name + "' is registered twice ("
                        + other.target().getClass().getName() + " and " + definition.target().getClass().getName()
                        + "); only versions of a blue-green projection (one that declares its tables) may share a"
                        + " name");
            }
        }
        if (!definitions.isEmpty() && !this.topic.equals(topic)) {
            throw new IllegalArgumentException("projection '" + name + "' version " + definition.version() + " reads "
                    + describe(topic) + " but the versions registered before it read " + describe(this.topic)
                    + ": every version of a projection reads the same records; give the new one another name");
        }
        this.topic = topic;
        this.source = source;
        definitions.put(definition.version(), definition);
        resolvers.put(definition, new HandlerResolver(definition, codec));
    }

    /** The newest registered definition. */
    public synchronized ProjectionDefinition newest() {
        return definitions.lastEntry().getValue();
    }

    /** The definition of a code version, if registered here. */
    public synchronized Optional<ProjectionDefinition> definition(int version) {
        return Optional.ofNullable(definitions.get(version));
    }

    HandlerResolver resolver(ProjectionDefinition definition) {
        return resolvers.get(definition);
    }

    boolean inMemory() {
        return newest().inMemory();
    }

    /** The segment count of a definition: its topic's partition count, else declared, else the runtime's default. */
    public int segments(ProjectionDefinition definition, int defaultSegments) {
        RecordSource fed = source();
        if (fed != null && fed.partitions().isPresent()) {
            return fed.partitions().getAsInt();
        }
        return definition.declaredSegments() > 0 ? definition.declaredSegments() : defaultSegments;
    }

    /** The topic it reads instead of the log; empty for the log. */
    public synchronized String topic() {
        return topic;
    }

    /** Where its records come from when it reads a topic; {@code null} when it reads the log. */
    public synchronized RecordSource source() {
        return source;
    }

    private static String describe(String topic) {
        return topic.isEmpty() ? "the log" : "topic '" + topic + "'";
    }

    /** The failure mode of a definition: declared, or the runtime's default. */
    FailureMode failureMode(ProjectionDefinition definition, FailureMode defaultMode) {
        return definition.failureMode().orElse(defaultMode);
    }

    public Collection<GenerationRun> runs() {
        return runs.values();
    }

    public Optional<GenerationRun> run(int generation) {
        return Optional.ofNullable(runs.get(generation));
    }

    void putRun(GenerationRun run) {
        runs.put(run.generation(), run);
    }

    public void removeRun(int generation) {
        runs.remove(generation);
    }

    /** The ledgers of an in-memory projection, by segment; created on first use. */
    synchronized List<MemoryLedger> memoryLedgers(int segments) {
        if (memoryLedgers.isEmpty()) {
            for (int segment = 0; segment < segments; segment++) {
                memoryLedgers.add(new MemoryLedger(segment));
            }
        }
        return List.copyOf(memoryLedgers);
    }

    public String note() {
        return note;
    }

    public void note(String note) {
        this.note = note == null ? "" : note;
    }
}
