package dev.kappa.eventstore;

import java.util.Objects;
import java.util.function.UnaryOperator;

import tools.jackson.databind.node.ObjectNode;

/** An {@link Upcaster} made of a function. */
record FunctionUpcaster(String fromType, String toType, UnaryOperator<ObjectNode> transformation) implements Upcaster {

    FunctionUpcaster {
        if (fromType == null || fromType.isBlank()) {
            throw new IllegalArgumentException("upcaster source type must not be blank");
        }
        if (toType == null || toType.isBlank()) {
            throw new IllegalArgumentException("upcaster target type must not be blank");
        }
        if (fromType.equals(toType)) {
            throw new IllegalArgumentException("upcaster from '" + fromType + "' must change the type name;"
                    + " name the new shape differently, e.g. '" + fromType + ".v2'");
        }
    }

    @Override
    public ObjectNode upcast(ObjectNode payload) {
        return Objects.requireNonNull(transformation.apply(payload),
                () -> "upcaster " + fromType + " -> " + toType + " returned null");
    }

    @Override
    public String toString() {
        return "Upcaster[" + fromType + " -> " + toType + "]";
    }
}
