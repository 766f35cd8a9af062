package dev.kappa.framework.internal.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.observation.Observation;

import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.Appended;
import dev.kappa.eventstore.ConcurrencyException;
import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExclusiveAppend;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.framework.AggregateModel;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.CommandResult;
import dev.kappa.framework.GatewayStatistics;
import dev.kappa.framework.NoHandlerForCommandException;
import dev.kappa.framework.internal.model.ModelProblems;
import dev.kappa.framework.internal.model.ReflectiveAggregateModel;

/**
 * The command gateway of one process over an event store: routes each command type to its aggregate, loads, decides,
 * applies and appends, retrying on version conflicts.
 *
 * <p>Thread-safe. {@link #sendAndWait} works on the calling thread; {@link #send} on the executor.
 */
public final class EventSourcedCommandGateway implements CommandGateway {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final EventStore store;
    private final Map<Class<?>, AggregateModel<?>> routes;
    private final GatewaySettings settings;
    private final AggregateRepository repository;
    private final CommandObservations observations;
    private final AggregateLocks locks = new AggregateLocks();
    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder conflictRetries = new LongAdder();

    private EventSourcedCommandGateway(EventStore store, Map<Class<?>, AggregateModel<?>> routes,
                                       GatewaySettings settings) {
        this.store = store;
        this.routes = Map.copyOf(routes);
        this.settings = settings;
        this.repository = new AggregateRepository(store, settings.cacheSize(), settings.snapshots());
        this.observations = new CommandObservations(settings.observationRegistry());
        if (settings.executor() != null) {
            this.executor = settings.executor();
            this.ownExecutor = null;
        } else {
            int pool = POOLS.incrementAndGet();
            AtomicInteger threads = new AtomicInteger();
            this.ownExecutor = Executors.newFixedThreadPool(16, runnable -> {
                Thread thread = new Thread(runnable, "kappa-command-" + pool + "-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            this.executor = ownExecutor;
        }
    }

    /**
     * Inspects the aggregates, checks them against each other and the store's codec, and builds the gateway.
     *
     * @throws dev.kappa.framework.AggregateConfigurationException listing every problem found
     */
    public static EventSourcedCommandGateway create(EventStore store, List<Class<?>> aggregateClasses,
                                                    GatewaySettings settings) {
        ModelProblems problems = new ModelProblems();
        Map<Class<?>, AggregateModel<?>> routes = new HashMap<>();
        for (Class<?> aggregateClass : aggregateClasses) {
            AggregateModel<?> model = ReflectiveAggregateModel.inspect(aggregateClass, problems);
            if (model == null) {
                continue;
            }
            for (Class<?> commandType : model.commandTypes()) {
                AggregateModel<?> other = routes.putIfAbsent(commandType, model);
                if (other != null && other != model) {
                    problems.add(commandType.getSimpleName() + " is handled twice, by "
                            + other.aggregateClass().getSimpleName() + " and " + aggregateClass.getSimpleName()
                            + "; a command type has exactly one @CommandHandler");
                }
            }
            checkRegistered(model, store.codec(), problems);
        }
        problems.throwIfAny();
        return new EventSourcedCommandGateway(store, routes, settings);
    }

    @Override
    public CompletableFuture<CommandResult> send(Object command) {
        return send(CommandMessage.of(command));
    }

    @Override
    public CompletableFuture<CommandResult> send(CommandMessage<?> message) {
        // the caller's observation (its request's, say) stays the parent on the executor's thread
        Observation parent = observations.current();
        return CompletableFuture.supplyAsync(() -> sendAndWait(message, parent), executor);
    }

    @Override
    public CommandResult sendAndWait(Object command) {
        if (command instanceof CommandMessage<?> message) {
            return sendAndWait(message);
        }
        return sendAndWait(CommandMessage.of(command));
    }

    @Override
    public CommandResult sendAndWait(CommandMessage<?> message) {
        return sendAndWait(message, null);
    }

    private CommandResult sendAndWait(CommandMessage<?> message, Observation parent) {
        if (observations.off()) {
            return timed(message);
        }
        return observations.observe(message, routes.get(message.command().getClass()), parent, this::timed);
    }

    private CommandResult timed(CommandMessage<?> message) {
        long started = System.nanoTime();
        try {
            CommandResult result = handle(route(message), message);
            succeeded.increment();
            settings.observer().commandEnded(message.command().getClass(), System.nanoTime() - started, null);
            return result;
        } catch (RuntimeException | Error e) {
            failed.increment();
            settings.observer().commandEnded(message.command().getClass(), System.nanoTime() - started, e);
            throw e;
        }
    }

    @Override
    public GatewayStatistics statistics() {
        return new GatewayStatistics(succeeded.sum(), failed.sum(), conflictRetries.sum(), repository.cacheHits(),
                repository.cacheMisses(), repository.snapshotsSaved());
    }

    @Override
    public void close() {
        if (ownExecutor != null) {
            ownExecutor.shutdown();
            try {
                ownExecutor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        repository.close();
    }

    @SuppressWarnings("unchecked")
    private <A> AggregateModel<A> route(CommandMessage<?> message) {
        AggregateModel<?> model = routes.get(message.command().getClass());
        if (model == null) {
            throw new NoHandlerForCommandException(message.command().getClass());
        }
        return (AggregateModel<A>) model;
    }

    private <A> CommandResult handle(AggregateModel<A> model, CommandMessage<?> message) {
        if (message.idempotencyKey() != null) {
            // a key reused for another request is refused here, before the handler runs
            Optional<List<AppendResult>> earlier = store.findAppend(message.idempotencyKey(),
                    message.requestFingerprint());
            if (earlier.isPresent()) {
                return result(model, earlier.get().get(0), true);
            }
        }
        AggregateCommand<A> command = AggregateCommand.of(model, message);
        if (command.createsAggregate()) {
            return create(model, command, message);
        }
        String aggregateId = command.targetAggregateId();
        String streamId = model.streamId(aggregateId);
        for (int attempt = 1; ; attempt++) {
            try (AggregateLocks.Held held = lock(streamId)) {
                // the last attempt cannot conflict: it decides holding the log's lock, so no process starves
                return attempt < settings.maxAttempts()
                        ? act(model, command, aggregateId, streamId, message)
                        : actExclusively(model, command, aggregateId, streamId, message);
            } catch (ConcurrencyException conflict) {
                if (attempt >= settings.maxAttempts()) {
                    throw conflict;
                }
                conflictRetries.increment();
            }
            // another process appended: let it finish before we try again, without waiting in lockstep with others
            pause(attempt);
        }
    }

    private <A> CommandResult create(AggregateModel<A> model, AggregateCommand<A> command, CommandMessage<?> message) {
        AggregateModel.Creation<A> creation = command.create();
        A aggregate = creation.aggregate();
        String aggregateId = creation.aggregateId();
        String streamId = model.streamId(aggregateId);
        try (AggregateLocks.Held held = lock(streamId)) {
            Appended appended = append(streamId, command.creationVersion(), creation.events(), message);
            AppendResult result = appended.result();
            if (appended.alreadyAppended()) {
                repository.evict(streamId);
            } else {
                repository.stored(model, streamId, aggregate, 0, result.streamVersion());
            }
            return new CommandResult(aggregateId, streamId, result.streamVersion(), result.fromOffset(),
                    result.toOffset(), result.eventCount(), appended.alreadyAppended());
        } catch (ConcurrencyException e) {
            repository.evict(streamId);
            throw command.alreadyExists(aggregateId);
        } catch (RuntimeException | Error e) {
            repository.evict(streamId);
            throw e;
        }
    }

    /**
     * The aggregate's in-process lock, unless the append will join the caller's transaction. Once that transaction
     * has appended it holds the log's lock until it ends, and the lock's holder may be waiting for the log writer,
     * which waits for the log's lock: a deadlock. Without the in-process lock, such commands are still serialised by
     * the log's lock and their expected versions.
     */
    private AggregateLocks.Held lock(String streamId) {
        return store.joinsCurrentTransaction() ? AggregateLocks.NONE : locks.acquire(streamId);
    }

    /** Loads, decides, applies and appends; the caller holds the aggregate's lock. */
    private <A> CommandResult act(AggregateModel<A> model, AggregateCommand<A> command, String aggregateId,
                                  String streamId, CommandMessage<?> message) {
        try {
            LoadedAggregate<A> loaded = command.requireFound(repository.load(model, streamId), aggregateId);
            List<Object> events;
            try {
                events = command.decide(loaded.instance());
            } catch (RuntimeException rejected) {
                // a rejection is only as good as the state it was judged on: retry on fresh state if that was stale
                requireCurrent(loaded, streamId);
                throw rejected;
            }
            if (events.isEmpty()) {
                requireCurrent(loaded, streamId);
                return new CommandResult(aggregateId, streamId, loaded.version(), 0, 0, 0, false);
            }
            command.apply(loaded.instance(), events);
            Appended appended = append(streamId, command.actingVersion(loaded.version()), events, message);
            AppendResult result = appended.result();
            if (appended.alreadyAppended()) {
                // a concurrent duplicate won: our decision was never stored, so our state is not the stream's
                repository.evict(streamId);
            } else {
                repository.stored(model, streamId, loaded.instance(), loaded.version(), result.streamVersion());
            }
            return new CommandResult(aggregateId, streamId, result.streamVersion(), result.fromOffset(),
                    result.toOffset(), result.eventCount(), appended.alreadyAppended());
        } catch (RuntimeException | Error e) {
            // the cached instance may have had events applied that were never stored
            repository.evict(streamId);
            throw e;
        }
    }

    /**
     * Loads, decides and applies while the event store holds the log's append lock, then appends: the stream cannot
     * change in between. Every other append waits meanwhile, which is why this is only the last attempt.
     */
    private <A> CommandResult actExclusively(AggregateModel<A> model, AggregateCommand<A> command, String aggregateId,
                                             String streamId, CommandMessage<?> message) {
        repository.evict(streamId);
        List<LoadedAggregate<A>> decidedOn = new ArrayList<>(1);
        try {
            Optional<Appended> appended = store.appendExclusively(ExclusiveAppend.to(streamId, version -> {
                LoadedAggregate<A> loaded = command.requireFound(repository.load(model, streamId), aggregateId);
                List<Object> events = command.decide(loaded.instance());
                command.apply(loaded.instance(), events);
                decidedOn.add(loaded);
                return newEvents(events, message);
            }).withIdempotencyKey(message.idempotencyKey(), message.requestFingerprint()));
            if (appended.isEmpty()) {
                return new CommandResult(aggregateId, streamId, decidedOn.get(0).version(), 0, 0, 0, false);
            }
            AppendResult result = appended.get().result();
            if (appended.get().alreadyAppended()) {
                repository.evict(streamId);
            } else {
                LoadedAggregate<A> loaded = decidedOn.get(0);
                repository.stored(model, streamId, loaded.instance(), loaded.version(), result.streamVersion());
            }
            return new CommandResult(aggregateId, streamId, result.streamVersion(), result.fromOffset(),
                    result.toOffset(), result.eventCount(), appended.get().alreadyAppended());
        } catch (RuntimeException | Error e) {
            repository.evict(streamId);
            throw e;
        }
    }

    /**
     * A cached state may be behind the stream if another process appended since. An append would find out by itself
     * (a version conflict); a decision that appends nothing must ask, or a stale state could wrongly reject a command
     * or wrongly do nothing.
     */
    private void requireCurrent(LoadedAggregate<?> loaded, String streamId) {
        if (loaded.cached()) {
            long actual = store.streamVersion(streamId);
            if (actual != loaded.version()) {
                throw new ConcurrencyException(streamId, ExpectedVersion.exactly(loaded.version()), actual);
            }
        }
    }

    private Appended append(String streamId, ExpectedVersion expected, List<Object> events,
                            CommandMessage<?> message) {
        return store.append(AppendRequest.to(streamId, expected, newEvents(events, message))
                .withIdempotencyKey(message.idempotencyKey(), message.requestFingerprint()));
    }

    /** The events as the log keeps them: in the command's conversation, caused by it, with its metadata. */
    private static List<NewEvent> newEvents(List<Object> events, CommandMessage<?> message) {
        List<NewEvent> newEvents = new ArrayList<>(events.size());
        String causation = message.commandId().toString();
        for (Object event : events) {
            newEvents.add(NewEvent.of(event)
                    .withCorrelationId(message.correlationId())
                    .withCausationId(causation)
                    .withMetadata(message.metadata()));
        }
        return newEvents;
    }

    private static CommandResult result(AggregateModel<?> model, AppendResult earlier, boolean alreadyApplied) {
        return new CommandResult(model.aggregateIdOf(earlier.streamId()), earlier.streamId(), earlier.streamVersion(),
                earlier.fromOffset(), earlier.toOffset(), earlier.eventCount(), alreadyApplied);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(attempt + 1L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a command after a version conflict", e);
        }
    }

    private static void checkRegistered(AggregateModel<?> model, EventCodec codec, ModelProblems problems) {
        for (Class<?> eventType : model.eventTypes()) {
            for (Class<?> concrete : concreteTypes(eventType)) {
                try {
                    codec.typeName(concrete);
                } catch (IllegalArgumentException e) {
                    problems.add("event type " + concrete.getName() + ", applied by "
                            + model.aggregateClass().getSimpleName() + ", is not registered with the event store's"
                            + " codec; register it: EventCodec.builder().register(" + concrete.getSimpleName()
                            + ".class)");
                }
            }
        }
    }

    /** The classes that can actually be stored for a handler's parameter type: it, or its sealed subtypes. */
    private static List<Class<?>> concreteTypes(Class<?> type) {
        Class<?>[] permitted = type.getPermittedSubclasses();
        if (permitted != null && permitted.length > 0) {
            List<Class<?>> types = new ArrayList<>();
            for (Class<?> subtype : permitted) {
                types.addAll(concreteTypes(subtype));
            }
            return types;
        }
        if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
            return List.of();
        }
        return List.of(type);
    }
}
