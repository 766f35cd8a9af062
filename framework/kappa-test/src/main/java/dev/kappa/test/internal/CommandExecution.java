package dev.kappa.test.internal;

import java.util.List;
import java.util.Objects;

import dev.kappa.framework.AggregateAlreadyExistsException;
import dev.kappa.framework.AggregateModel;
import dev.kappa.framework.AggregateNotFoundException;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.NoHandlerForCommandException;

/**
 * One command run on an aggregate by the rules of {@code CommandGateway.sendAndWait}, with no event store: a creating
 * command must decide at least one event and set the {@code @AggregateId}; a command on an existing aggregate needs
 * that aggregate; the decided events are applied. What the gateway would have thrown is kept as {@link #failure()}.
 *
 * <p>Nothing is serialized and idempotency keys are not looked up: there is no store to answer them.
 *
 * @param events    the events the handler decided, in order; empty if the command failed
 * @param aggregate the aggregate with those events applied, or {@code null} if the command failed
 * @param failure   what the gateway would have thrown, or {@code null} if the command succeeded
 * @param <A>       the aggregate class
 */
public record CommandExecution<A>(List<Object> events, A aggregate, RuntimeException failure) {

    public CommandExecution {
        events = List.copyOf(events);
        if ((aggregate == null) == (failure == null)) {
            throw new IllegalArgumentException("a command execution has either an aggregate or a failure, not "
                    + (aggregate == null ? "neither" : "both"));
        }
    }

    /**
     * Runs {@code message} on {@code existing}, the aggregate rebuilt from the given events, or {@code null} if there
     * were none. {@code existing} has the decided events applied when the command succeeds.
     */
    public static <A> CommandExecution<A> run(AggregateModel<A> model, A existing, CommandMessage<?> message) {
        Objects.requireNonNull(model, "aggregate model must not be null");
        Objects.requireNonNull(message, "command message must not be null");
        try {
            Class<?> commandType = message.command().getClass();
            if (!model.commandTypes().contains(commandType)) {
                throw new NoHandlerForCommandException(commandType);
            }
            return model.createsAggregate(commandType)
                    ? create(model, existing, message)
                    : act(model, existing, message);
        } catch (RuntimeException e) {
            return new CommandExecution<>(List.of(), null, e);
        }
    }

    /** Whether the command failed, with {@link #failure()}. */
    public boolean failed() {
        return failure != null;
    }

    private static <A> CommandExecution<A> create(AggregateModel<A> model, A existing, CommandMessage<?> message) {
        AggregateModel.Creation<A> creation = model.create(message);
        if (existing != null && creation.aggregateId().equals(model.aggregateId(existing))) {
            throw new AggregateAlreadyExistsException(model.aggregateClass(), creation.aggregateId(),
                    message.command().getClass());
        }
        return new CommandExecution<>(creation.events(), creation.aggregate(), null);
    }

    private static <A> CommandExecution<A> act(AggregateModel<A> model, A existing, CommandMessage<?> message) {
        Class<?> commandType = message.command().getClass();
        String aggregateId = model.targetAggregateId(message.command()).orElseThrow(() ->
                new IllegalArgumentException(commandType.getSimpleName() + " names no aggregate"));
        if (existing == null || !aggregateId.equals(model.aggregateId(existing))) {
            throw new AggregateNotFoundException(model.aggregateClass(), aggregateId, commandType);
        }
        List<Object> events = model.handle(existing, message);
        applyAll(model, existing, events);
        return new CommandExecution<>(events, existing, null);
    }

    private static <A> void applyAll(AggregateModel<A> model, A aggregate, List<Object> events) {
        for (Object event : events) {
            model.apply(aggregate, event);
        }
    }
}
