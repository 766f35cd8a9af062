package dev.kappa.projections;

/**
 * A replay named an offset at which the projection keeps no dead letter: see
 * {@link ProjectionRuntime#deadLetters(String)} for those it keeps.
 */
public class NoSuchDeadLetterException extends IllegalStateException {

    private final String projection;
    private final long offset;

    public NoSuchDeadLetterException(String projection, long offset) {
        super("projection '" + projection + "' has no dead letter at offset " + offset + ": list them with"
                + " deadLetters(\"" + projection + "\")");
        this.projection = projection;
        this.offset = offset;
    }

    /** The projection named. */
    public String projection() {
        return projection;
    }

    /** The offset named. */
    public long offset() {
        return offset;
    }
}
