package dev.kappa.boot.autoconfigure.kafka;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.kappa.boot.autoconfigure.actuate.KafkaStatus;
import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayStatus;
import dev.kappa.kafka.view.ViewStatus;

/** The relay (if this instance runs one) and the compacted views, for the {@code kappa} endpoint. Thread-safe. */
final class RelayAndViews implements KafkaStatus {

    private final @Nullable KafkaRelay relay;
    private final CompactedViews views;

    RelayAndViews(@Nullable KafkaRelay relay, CompactedViews views) {
        this.relay = relay;
        this.views = views;
    }

    @Override
    public @Nullable Relay relay() {
        if (relay == null) {
            return null;
        }
        RelayStatus status = relay.status();
        return new Relay(status.state().name(), status.relayedOffset(), status.logHead(), status.lag(),
                status.eventsPerSecond(), status.since(), status.error());
    }

    @Override
    public List<View> views() {
        return views.views().entrySet().stream().map(entry -> {
            ViewStatus status = entry.getValue().status();
            return new View(entry.getKey(), status.topic(), status.ready(), status.keys(), status.recordsRead(),
                    status.lag(), status.error());
        }).toList();
    }
}
