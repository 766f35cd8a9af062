package dev.kappa.framework;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.kappa.framework.internal.model.ReflectiveAggregateModel;

/**
 * What Kappa knows of an {@link Aggregate} class, and the operations on it that need no database: create an
 * instance, apply events, run command handlers. The gateway is built on it, and so are test fixtures.
 *
 * <p>Immutable and thread-safe; the aggregate instances it works on are not.
 *
 * @param <A> the aggregate class
 */
public interface AggregateModel<A> {

    /**
     * Inspects an aggregate class.
     *
     * @throws AggregateConfigurationException listing every problem with the class's annotations and handlers
     */
    static <A> AggregateModel<A> of(Class<A> aggregateClass) {
        return ReflectiveAggregateModel.inspect(aggregateClass);
    }

    /** The aggregate class. */
    Class<A> aggregateClass();

    /**
     * The stream id of the aggregate with this id: the stream prefix followed by the id.
     *
     * @throws InvalidAggregateIdException if the id cannot name a stream
     */
    String streamId(String aggregateId);

    /** The aggregate id in a stream id of this aggregate type. */
    String aggregateIdOf(String streamId);

    /** From {@link Aggregate#snapshotEvery()}. */
    int snapshotEvery();

    /** From {@link Aggregate#snapshotRevision()}. */
    int snapshotRevision();

    /** The command types its handlers take. */
    Set<Class<?>> commandTypes();

    /** Whether a handler of this command type creates the aggregate (a static handler). */
    boolean createsAggregate(Class<?> commandType);

    /** The event types its event-sourcing handlers take: register their concrete types with the event codec. */
    Set<Class<?>> eventTypes();

    /** A new, empty instance, ready to have events applied. */
    A newInstance();

    /**
     * Applies an event through the most specific event-sourcing handler.
     *
     * @throws IllegalStateException if no handler takes the event's type
     */
    void apply(A aggregate, Object event);

    /**
     * Runs the command handler for the message's command and returns the events it decided, without applying them.
     *
     * @param aggregate the aggregate to act on, or {@code null} for a command that creates one
     * @throws NoHandlerForCommandException if the aggregate has no handler for the command's type
     * @throws RuntimeException             whatever the handler threw, unchanged (a checked exception comes wrapped
     *                                      in {@link java.lang.reflect.UndeclaredThrowableException})
     */
    List<Object> handle(A aggregate, CommandMessage<?> message);

    /**
     * Runs a command that creates an aggregate: its handler's events applied to a new instance, which then has its
     * id.
     *
     * @throws IllegalStateException        if the handler decided no events, its events leave the {@link AggregateId}
     *                                      unset, or they set another id than the command's {@link TargetAggregateId}
     * @throws NoHandlerForCommandException if no static handler of the aggregate takes the command
     * @throws RuntimeException             whatever the handler threw, as {@link #handle}
     */
    Creation<A> create(CommandMessage<?> message);

    /**
     * A newly created aggregate, before anything is stored.
     *
     * @param aggregate   the instance, with the events applied
     * @param aggregateId its id
     * @param events      the events its creating handler decided
     * @param <A>         the aggregate class
     */
    record Creation<A>(A aggregate, String aggregateId, List<Object> events) {

        public Creation {
            events = List.copyOf(events);
        }
    }

    /** The id a command names with its {@link TargetAggregateId} component, if it has one. */
    Optional<String> targetAggregateId(Object command);

    /** The value of the aggregate's {@link AggregateId} field, as a string, or {@code null} if it is not set yet. */
    String aggregateId(A aggregate);
}
