package dev.kappa.eventstore;

/**
 * A stored record has a type name that no registered class or upcaster knows. Register the class (or an upcaster
 * from that name); the record is never skipped silently.
 */
public class UnknownEventTypeException extends EventStoreException {

    private final String type;
    private final long offset;

    public UnknownEventTypeException(String type, long offset) {
        super("unknown event type '" + type + "' at offset " + offset
                + ": register a class with @EventType(\"" + type + "\") or an upcaster from '" + type + "'");
        this.type = type;
        this.offset = offset;
    }

    /** The unknown type name. */
    public String type() {
        return type;
    }

    /** The offset of the record that has it. */
    public long offset() {
        return offset;
    }
}
