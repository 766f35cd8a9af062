package dev.kappa.eventstore;

/** Events the integration tests append. */
final class TestEvents {

    private TestEvents() {
    }

    @EventType("Deposited")
    record Deposited(String account, long amount) {
    }

    @EventType("ProfileChanged")
    record ProfileChanged(String customer, String name) {
    }

    @EventType("ProfileErased")
    record ProfileErased(String customer) {
    }

    @EventType("Note")
    record Note(String text) {
    }

    /** Registered nowhere: appending it must fail. */
    record Unregistered(String value) {
    }

    static EventCodec codec() {
        return EventCodec.builder()
                .register(Deposited.class, ProfileChanged.class, ProfileErased.class, Note.class)
                .build();
    }

    static NewEvent deposit(String account, long amount) {
        return NewEvent.of(new Deposited(account, amount));
    }
}
