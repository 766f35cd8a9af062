package dev.kappa.test;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.Assertions;

import dev.kappa.test.internal.CommandExecution;

/**
 * What the command of an {@link AggregateFixture} did: the events it decided, or the exception it threw. Each
 * {@code expect…} method throws an {@link AssertionError} that shows what was expected and what happened; an
 * unexpected exception is shown with its message and is the error's cause.
 *
 * <p>This class is not thread-safe: it belongs to the test that ran the command.
 *
 * @param <A> the aggregate class
 */
public final class CommandOutcome<A> {

    private final String scenario;
    private final CommandExecution<A> execution;

    CommandOutcome(String scenario, CommandExecution<A> execution) {
        this.scenario = scenario;
        this.execution = execution;
    }

    /** Checks that the command decided exactly these events, in this order. */
    public CommandOutcome<A> expectEvents(Object... expected) {
        Objects.requireNonNull(expected, "expected events must not be null");
        return expectEvents(Arrays.asList(expected));
    }

    /** {@link #expectEvents(Object...)} with a list. */
    public CommandOutcome<A> expectEvents(List<?> expected) {
        Objects.requireNonNull(expected, "expected events must not be null");
        Assertions.assertThat(succeeded("to decide\n  " + expected).events())
                .as("events decided by %s", scenario)
                .containsExactlyElementsOf(expected);
        return this;
    }

    /** Checks that the command succeeded and decided nothing. */
    public CommandOutcome<A> expectNoEvents() {
        Assertions.assertThat(succeeded("to decide no events").events())
                .as("events decided by %s", scenario)
                .isEmpty();
        return this;
    }

    /**
     * Checks the aggregate after the command, with its new events applied: {@code assertions} throws an
     * {@link AssertionError} if the state is wrong.
     */
    public CommandOutcome<A> expectState(Consumer<? super A> assertions) {
        Objects.requireNonNull(assertions, "state assertions must not be null");
        assertions.accept(succeeded("to succeed, so that its state could be checked").aggregate());
        return this;
    }

    /**
     * Checks that the command threw an exception of this type, and returns an AssertJ assertion on it to check more
     * ({@code .hasMessageContaining(...)}). It is the exception the gateway would throw: a checked exception comes
     * wrapped in an {@link java.lang.reflect.UndeclaredThrowableException}.
     */
    public <T extends Throwable> AbstractThrowableAssert<?, T> expectException(Class<T> type) {
        Objects.requireNonNull(type, "exception type must not be null");
        String expectation = "expected " + scenario + " to throw\n  " + type.getName();
        if (!execution.failed()) {
            throw new AssertionError(expectation + "\nbut it succeeded and decided\n  " + execution.events());
        }
        if (!type.isInstance(execution.failure())) {
            throw new AssertionError(expectation + "\nbut it threw\n  " + describe(execution.failure()),
                    execution.failure());
        }
        return Assertions.assertThat(type.cast(execution.failure()));
    }

    private CommandExecution<A> succeeded(String expectation) {
        if (execution.failed()) {
            throw new AssertionError("expected " + scenario + " " + expectation + "\nbut it threw\n  "
                    + describe(execution.failure()), execution.failure());
        }
        return execution;
    }

    /** The exception, where it was thrown and its causes. */
    private static String describe(Throwable failure) {
        StringBuilder description = new StringBuilder(failure.toString());
        StackTraceElement[] trace = failure.getStackTrace();
        if (trace.length > 0) {
            description.append("\n\tat ").append(trace[0]);
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(failure);
        for (Throwable cause = failure.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
            description.append("\n  caused by ").append(cause);
        }
        return description.toString();
    }
}
