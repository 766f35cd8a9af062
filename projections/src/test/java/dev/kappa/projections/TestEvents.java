package dev.kappa.projections;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventType;
import dev.kappa.eventstore.NewEvent;

/** Events the projection tests append: a small bank, a note nobody handles, and a poison pill. */
final class TestEvents {

    private TestEvents() {
    }

    /** Every event of an account. */
    sealed interface AccountEvent permits AccountOpened, MoneyDeposited, MoneyWithdrawn {
    }

    @EventType("AccountOpened")
    record AccountOpened(String owner) implements AccountEvent {
    }

    @EventType("MoneyDeposited")
    record MoneyDeposited(long amount) implements AccountEvent {
    }

    @EventType("MoneyWithdrawn")
    record MoneyWithdrawn(long amount) implements AccountEvent {
    }

    /** Handled by no projection: it must be skipped without being decoded. */
    @EventType("Note")
    record Note(String text) {
    }

    /** Handlers that see it throw, as long as its text says so. */
    @EventType("Poison")
    record Poison(String text) {
    }

    static EventCodec codec() {
        return EventCodec.builder().register(AccountEvent.class).register(Note.class, Poison.class).build();
    }

    static NewEvent opened(String owner) {
        return NewEvent.of(new AccountOpened(owner));
    }

    static NewEvent deposited(long amount) {
        return NewEvent.of(new MoneyDeposited(amount));
    }

    static NewEvent withdrawn(long amount) {
        return NewEvent.of(new MoneyWithdrawn(amount));
    }

    static NewEvent note(String text) {
        return NewEvent.of(new Note(text));
    }

    static NewEvent poison(String text) {
        return NewEvent.of(new Poison(text));
    }
}
