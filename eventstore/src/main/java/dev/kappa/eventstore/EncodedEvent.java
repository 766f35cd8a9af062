package dev.kappa.eventstore;

import java.util.Objects;

/**
 * An event payload as it is stored: its type name and its JSON.
 *
 * @param type    the stable type name
 * @param payload the JSON text
 */
public record EncodedEvent(String type, String payload) {

    public EncodedEvent {
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
    }
}
