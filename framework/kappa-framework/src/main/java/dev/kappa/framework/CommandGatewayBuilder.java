package dev.kappa.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

import io.micrometer.observation.ObservationRegistry;

import dev.kappa.eventstore.EventStore;
import dev.kappa.framework.internal.gateway.EventSourcedCommandGateway;
import dev.kappa.framework.internal.gateway.GatewaySettings;

/**
 * Configures a {@link CommandGateway}. Not thread-safe; build once.
 */
public final class CommandGatewayBuilder {

    /** Default for {@link #maxAttempts(int)}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** Default for {@link #cacheSize(long)}. */
    public static final long DEFAULT_CACHE_SIZE = 10_000;

    private final EventStore store;
    private final List<Class<?>> aggregateClasses = new ArrayList<>();
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private long cacheSize = DEFAULT_CACHE_SIZE;
    private Executor executor;
    private boolean snapshots = true;
    private CommandObserver observer = CommandObserver.NONE;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

    CommandGatewayBuilder(EventStore store) {
        this.store = Objects.requireNonNull(store, "event store must not be null");
    }

    /** Registers aggregate classes: their command handlers become routes. */
    public CommandGatewayBuilder aggregates(Class<?>... aggregates) {
        for (Class<?> aggregate : aggregates) {
            aggregateClasses.add(Objects.requireNonNull(aggregate, "aggregate class must not be null"));
        }
        return this;
    }

    /**
     * How many times a command on an existing aggregate is run when its aggregate keeps changing under it (a version
     * conflict with another process); {@value #DEFAULT_MAX_ATTEMPTS} by default. The last attempt holds the log's
     * append lock while it decides, so it cannot conflict; 1 makes every command do so.
     */
    public CommandGatewayBuilder maxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1 but was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        return this;
    }

    /**
     * How many loaded aggregates to keep in memory, so that the next command on a hot aggregate reads nothing;
     * {@value #DEFAULT_CACHE_SIZE} by default, 0 for no cache.
     */
    public CommandGatewayBuilder cacheSize(long cacheSize) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cache size must not be negative but was " + cacheSize);
        }
        this.cacheSize = cacheSize;
        return this;
    }

    /**
     * The executor {@link CommandGateway#send(Object)} runs commands on; by default the gateway's own pool of 16
     * daemon threads, stopped on close.
     */
    public CommandGatewayBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor must not be null");
        return this;
    }

    /**
     * Whether aggregates are loaded from and saved to snapshots as their {@link Aggregate#snapshotEvery()} says; on
     * by default. Off, every load replays all of an aggregate's events.
     */
    public CommandGatewayBuilder snapshots(boolean enabled) {
        this.snapshots = enabled;
        return this;
    }

    /** Hears every command, for metrics; nothing by default. */
    public CommandGatewayBuilder observer(CommandObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer must not be null");
        return this;
    }

    /**
     * Observes every command in this registry ({@code kappa.command}, with the command's and aggregate's types and the
     * outcome); none by default. The observation is current while the command runs, so its append is its child, and a
     * command sent from inside another observation (an HTTP request's, a projection batch's) is that one's child.
     */
    public CommandGatewayBuilder observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry, "observation registry must not be null");
        return this;
    }

    /**
     * Checks the aggregates and builds the gateway.
     *
     * @throws AggregateConfigurationException listing every problem: with each aggregate class, a command type handled
     *                                         by two aggregates, an event type the store's codec does not know
     */
    public CommandGateway build() {
        if (aggregateClasses.isEmpty()) {
            throw new IllegalStateException("a command gateway needs at least one aggregate: call aggregates(...)");
        }
        return EventSourcedCommandGateway.create(store, List.copyOf(aggregateClasses),
                new GatewaySettings(maxAttempts, cacheSize, executor, snapshots, observer, observationRegistry));
    }
}
