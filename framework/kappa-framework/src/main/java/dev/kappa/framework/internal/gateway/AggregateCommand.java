package dev.kappa.framework.internal.gateway;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.framework.AggregateAlreadyExistsException;
import dev.kappa.framework.AggregateModel;
import dev.kappa.framework.AggregateNotFoundException;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.NoHandlerForCommandException;

/**
 * One command meeting its aggregate, by the rules of {@code CommandGateway.sendAndWait}, with storage left to the
 * caller: the command's handler must be the aggregate's; a command whose handler is static <em>creates</em> the
 * aggregate (its events, applied to a new instance, set the id; it is appended to a stream that must not exist yet,
 * and a stream that does means the aggregate already exists); any other command <em>acts</em> on the aggregate its
 * {@code @TargetAggregateId} names, which must exist, and its decided events are applied to that instance and appended
 * at exactly the version it was loaded at.
 *
 * <p>The gateway and {@code kappa-test}'s aggregate fixture both follow these rules through this class, so the
 * fixture cannot drift from the gateway; that is why it is public. Applications need it no more than the rest of this
 * package.
 *
 * <p>Immutable and thread-safe; the aggregate instances it is handed are not.
 *
 * @param <A> the aggregate class
 */
public final class AggregateCommand<A> {

    private final AggregateModel<A> model;
    private final CommandMessage<?> message;

    private AggregateCommand(AggregateModel<A> model, CommandMessage<?> message) {
        this.model = model;
        this.message = message;
    }

    /**
     * The command in {@code message} on the aggregate {@code model} describes.
     *
     * @throws NoHandlerForCommandException if the aggregate has no handler for the command's type
     */
    public static <A> AggregateCommand<A> of(AggregateModel<A> model, CommandMessage<?> message) {
        Objects.requireNonNull(model, "aggregate model must not be null");
        Objects.requireNonNull(message, "command message must not be null");
        Class<?> commandType = message.command().getClass();
        if (!model.commandTypes().contains(commandType)) {
            throw new NoHandlerForCommandException(commandType);
        }
        return new AggregateCommand<>(model, message);
    }

    /** Whether the command creates its aggregate (its handler is static) rather than acting on an existing one. */
    public boolean createsAggregate() {
        return model.createsAggregate(message.command().getClass());
    }

    /**
     * Runs a creating command: see {@link AggregateModel#create}.
     *
     * @throws IllegalStateException if the handler decided no events, or they leave the id unset or set another one
     */
    public AggregateModel.Creation<A> create() {
        return model.create(message);
    }

    /** The version a created aggregate's stream must be at: none, as it must not exist yet. */
    public ExpectedVersion creationVersion() {
        return ExpectedVersion.noStream();
    }

    /** What a creating command fails with when its aggregate's stream exists already. */
    public AggregateAlreadyExistsException alreadyExists(String aggregateId) {
        return new AggregateAlreadyExistsException(model.aggregateClass(), aggregateId, commandType());
    }

    /**
     * The id of the aggregate an acting command names.
     *
     * @throws IllegalArgumentException if the command names none
     */
    public String targetAggregateId() {
        return model.targetAggregateId(message.command()).orElseThrow(() -> new IllegalArgumentException(
                commandType().getSimpleName() + " names no aggregate"));
    }

    /**
     * The aggregate an acting command acts on, as loaded.
     *
     * @throws AggregateNotFoundException if there is none with the {@linkplain #targetAggregateId() id it names}
     */
    public <L> L requireFound(Optional<L> loaded, String aggregateId) {
        return loaded.orElseThrow(() -> new AggregateNotFoundException(model.aggregateClass(), aggregateId,
                commandType()));
    }

    /**
     * Runs an acting command's handler on {@code aggregate} and returns the events it decided, not yet applied.
     *
     * @throws RuntimeException whatever the handler threw, as {@link AggregateModel#handle}
     */
    public List<Object> decide(A aggregate) {
        return model.handle(aggregate, message);
    }

    /** Applies decided events to the aggregate they were decided on, in order. */
    public void apply(A aggregate, List<Object> events) {
        for (Object event : events) {
            model.apply(aggregate, event);
        }
    }

    /** The version the stream must be at for an acting command's events: the one its aggregate was loaded at. */
    public ExpectedVersion actingVersion(long loadedVersion) {
        return ExpectedVersion.exactly(loadedVersion);
    }

    private Class<?> commandType() {
        return message.command().getClass();
    }
}
