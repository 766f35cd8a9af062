package dev.kappa.test;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.kappa.framework.AggregateModel;
import dev.kappa.framework.CommandMessage;
import dev.kappa.test.internal.CommandExecution;

/**
 * A given-when-then test of one command on one aggregate, without a database: past events are applied through the
 * aggregate's {@code @EventSourcingHandler}s, the command runs by the rules of the command gateway, and the
 * {@link CommandOutcome} checks what it decided.
 *
 * <pre>{@code
 * AggregateFixture.of(Account.class)
 *     .given(new AccountOpened("42", "Ada"), new MoneyDeposited("42", 100))
 *     .when(new Withdraw("42", 30))
 *     .expectEvents(new MoneyWithdrawn("42", 30))
 *     .expectState(account -> assertThat(account.balance()).isEqualTo(70));
 * }</pre>
 *
 * A command that creates the aggregate (a static {@code @CommandHandler}) needs no given events; any other command
 * needs them, or it fails with {@code AggregateNotFoundException} as it would on the gateway.
 *
 * <p>This class is not thread-safe: use one fixture per test, for one command.
 *
 * @param <A> the aggregate class
 */
public final class AggregateFixture<A> {

    private final AggregateModel<A> model;
    private A aggregate;
    private int givenEventCount;
    private boolean givenCalled;
    private boolean whenCalled;

    private AggregateFixture(AggregateModel<A> model) {
        this.model = model;
    }

    /**
     * A fixture for an aggregate class, with no past events yet.
     *
     * @throws dev.kappa.framework.AggregateConfigurationException listing every problem with the class
     */
    public static <A> AggregateFixture<A> of(Class<A> aggregateClass) {
        Objects.requireNonNull(aggregateClass, "aggregate class must not be null");
        return new AggregateFixture<>(AggregateModel.of(aggregateClass));
    }

    /**
     * The aggregate's past events, oldest first, applied now; none for a command that creates the aggregate. The
     * first event must set the aggregate's {@code @AggregateId}.
     *
     * @throws IllegalStateException if given events were passed already, or the command has run
     */
    public AggregateFixture<A> given(Object... events) {
        Objects.requireNonNull(events, "given events must not be null");
        return given(Arrays.asList(events));
    }

    /** {@link #given(Object...)} with a list. */
    public AggregateFixture<A> given(List<?> events) {
        Objects.requireNonNull(events, "given events must not be null");
        if (whenCalled) {
            throw new IllegalStateException("given(...) must come before when(...): the command has run already");
        }
        if (givenCalled) {
            throw new IllegalStateException("given(...) was called already; pass all past events in one call");
        }
        givenCalled = true;
        if (events.isEmpty()) {
            return this;
        }
        A instance = model.newInstance();
        for (int i = 0; i < events.size(); i++) {
            Object event = events.get(i);
            int position = i + 1;
            Objects.requireNonNull(event, () -> "given event " + position + " must not be null");
            model.apply(instance, event);
        }
        if (model.aggregateId(instance) == null) {
            throw new IllegalStateException("after the given events, the @AggregateId of "
                    + model.aggregateClass().getSimpleName() + " is still null: begin them with the event that"
                    + " creates the aggregate, and set the id in its @EventSourcingHandler");
        }
        aggregate = instance;
        givenEventCount = events.size();
        return this;
    }

    /**
     * Runs the command, or the command of a {@link CommandMessage}, and records what it decided or threw.
     *
     * @throws IllegalStateException if a command has run on this fixture already
     */
    public CommandOutcome<A> when(Object command) {
        Objects.requireNonNull(command, "command must not be null");
        return when(command instanceof CommandMessage<?> message ? message : CommandMessage.of(command));
    }

    /** {@link #when(Object)} with metadata: handlers that take a {@code CommandMessage} see this one. */
    public CommandOutcome<A> when(CommandMessage<?> message) {
        Objects.requireNonNull(message, "command message must not be null");
        if (whenCalled) {
            throw new IllegalStateException("when(...) was called already: a fixture runs one command. For the next"
                    + " command, start a new fixture and pass this command's events to given(...)");
        }
        whenCalled = true;
        String scenario = message.command() + " on " + describeAggregate();
        return new CommandOutcome<>(scenario, CommandExecution.run(model, aggregate, message));
    }

    private String describeAggregate() {
        String name = model.aggregateClass().getSimpleName();
        if (aggregate == null) {
            return name + " (no given events)";
        }
        return name + " '" + model.aggregateId(aggregate) + "' (" + givenEventCount + " given event"
                + (givenEventCount == 1 ? ")" : "s)");
    }
}
