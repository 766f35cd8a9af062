package dev.kappa.kafka.relay;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventType;
import dev.kappa.eventstore.NewEvent;

/** Events the relay tests append: a plain event, and keyed ones with their tombstone. */
final class RelayTestEvents {

    private RelayTestEvents() {
    }

    @EventType("Deposited")
    record Deposited(long amount) {
    }

    @EventType("ProfileChanged")
    record ProfileChanged(String name) {
    }

    @EventType("ProfileErased")
    record ProfileErased(String reason) {
    }

    static EventCodec codec() {
        return EventCodec.builder().register(Deposited.class, ProfileChanged.class, ProfileErased.class).build();
    }

    static NewEvent deposited(long amount) {
        return NewEvent.of(new Deposited(amount)).withCorrelationId("c-" + amount).withMetadata("tenant", "t1");
    }

    static NewEvent profileChanged(String key, String name) {
        return NewEvent.of(new ProfileChanged(name)).withCompactionKey(key);
    }

    static NewEvent profileErased(String key) {
        return NewEvent.tombstone(key, new ProfileErased("asked")).withCausationId("erase-" + key);
    }
}
