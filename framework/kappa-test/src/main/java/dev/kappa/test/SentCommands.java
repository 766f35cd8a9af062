package dev.kappa.test;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.assertj.core.api.Assertions;

import dev.kappa.framework.CommandMessage;

/**
 * The commands a process sent while it handled the events of one {@link ProcessFixture#given(Object...)}, in the
 * order sent. Each {@code expect…} method throws an {@link AssertionError} that shows what was expected and what was
 * sent.
 *
 * <p>Immutable.
 */
public final class SentCommands {

    private final String events;
    private final List<CommandMessage<?>> messages;

    SentCommands(String events, List<CommandMessage<?>> messages) {
        this.events = events;
        this.messages = List.copyOf(messages);
    }

    /** Checks that the process sent exactly these commands (compared with {@code equals}), in this order. */
    public SentCommands expectCommands(Object... expected) {
        Objects.requireNonNull(expected, "expected commands must not be null");
        return expectCommands(Arrays.asList(expected));
    }

    /** {@link #expectCommands(Object...)} with a list. */
    public SentCommands expectCommands(List<?> expected) {
        Objects.requireNonNull(expected, "expected commands must not be null");
        Assertions.assertThat(commands())
                .as("commands sent for %s", events)
                .containsExactlyElementsOf(expected);
        return this;
    }

    /** Checks that the process sent no command. */
    public SentCommands expectNoCommands() {
        Assertions.assertThat(commands())
                .as("commands sent for %s", events)
                .isEmpty();
        return this;
    }

    /** The commands sent, in order. */
    public List<Object> commands() {
        return messages.stream().<Object>map(CommandMessage::command).toList();
    }

    /** The commands sent with what travelled along: idempotency key, correlation and causation ids, metadata. */
    public List<CommandMessage<?>> messages() {
        return messages;
    }

    @Override
    public String toString() {
        return "SentCommands" + commands() + " for " + events;
    }
}
