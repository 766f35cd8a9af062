package dev.kappa.eventstore;

import java.util.Objects;
import java.util.function.UnaryOperator;

import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an older stored shape of an event into a newer one, on read. The log itself is never rewritten.
 *
 * <p>An upcaster maps one stored type name to another (the name of the current class, or of a further upcaster's
 * input, so that upcasters chain: {@code AccountOpened → AccountOpened.v2 → AccountOpened.v3}). Because the target
 * name depends only on the source name, a reader knows an event's final type without parsing its payload.
 *
 * <pre>{@code
 * Upcaster.of("AccountOpened", "AccountOpened.v2", json -> json.put("currency", "EUR"))
 * }</pre>
 *
 * <p>Implementations must be thread-safe and free of side effects; they may modify and return the node they get.
 */
public interface Upcaster {

    /** The stored type name this upcaster reads. */
    String fromType();

    /** The type name its output has. */
    String toType();

    /** Transforms a payload of {@link #fromType()} into one of {@link #toType()}. */
    ObjectNode upcast(ObjectNode payload);

    /** An upcaster from a function. */
    static Upcaster of(String fromType, String toType, UnaryOperator<ObjectNode> transformation) {
        Objects.requireNonNull(transformation, "upcaster transformation must not be null");
        return new FunctionUpcaster(fromType, toType, transformation);
    }
}
