package dev.kappa.test.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.kappa.framework.AggregateModel;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.internal.gateway.AggregateCommand;

/**
 * One command run on an aggregate by the rules of {@code CommandGateway.sendAndWait} ({@link AggregateCommand}, which
 * the gateway follows too), with no event store: the given aggregate stands in for the stored stream. What the gateway
 * would have thrown is kept as {@link #failure()}.
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
            AggregateCommand<A> command = AggregateCommand.of(model, message);
            return command.createsAggregate()
                    ? create(model, command, existing)
                    : act(model, command, existing);
        } catch (RuntimeException e) {
            return new CommandExecution<>(List.of(), null, e);
        }
    }

    /** Whether the command failed, with {@link #failure()}. */
    public boolean failed() {
        return failure != null;
    }

    /** The fixture's stand-in for the stream that must not exist yet: the given aggregate, if it has the new id. */
    private static <A> CommandExecution<A> create(AggregateModel<A> model, AggregateCommand<A> command, A existing) {
        AggregateModel.Creation<A> creation = command.create();
        if (existing != null && creation.aggregateId().equals(model.aggregateId(existing))) {
            throw command.alreadyExists(creation.aggregateId());
        }
        return new CommandExecution<>(creation.events(), creation.aggregate(), null);
    }

    /** The fixture's stand-in for loading: the given aggregate, if it has the id the command names. */
    private static <A> CommandExecution<A> act(AggregateModel<A> model, AggregateCommand<A> command, A existing) {
        String aggregateId = command.targetAggregateId();
        A aggregate = command.requireFound(Optional.ofNullable(existing)
                .filter(found -> aggregateId.equals(model.aggregateId(found))), aggregateId);
        List<Object> events = command.decide(aggregate);
        command.apply(aggregate, events);
        return new CommandExecution<>(events, aggregate, null);
    }
}
