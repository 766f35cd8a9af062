package dev.kappa.framework;

/**
 * A command was refused because of the aggregate it named — it does not exist, or exists already — before anything
 * was appended. Says which aggregate, so that a caller can answer without parsing the message.
 */
public abstract class AggregateCommandException extends RuntimeException {

    private final Class<?> aggregateType;
    private final String aggregateId;

    protected AggregateCommandException(String message, Class<?> aggregateType, String aggregateId) {
        super(message);
        this.aggregateType = aggregateType;
        this.aggregateId = aggregateId;
    }

    /** The aggregate's class. */
    public Class<?> aggregateType() {
        return aggregateType;
    }

    /** The id the command named. */
    public String aggregateId() {
        return aggregateId;
    }
}
