package dev.kappa.framework;

/** A command that creates an aggregate named one whose stream exists already. Nothing was appended. */
public class AggregateAlreadyExistsException extends RuntimeException {

    private final Class<?> aggregateType;
    private final String aggregateId;

    public AggregateAlreadyExistsException(Class<?> aggregateType, String aggregateId, Class<?> commandType) {
        super(aggregateType.getSimpleName() + " '" + aggregateId + "' already exists: " + commandType.getSimpleName()
                + " creates a new one; send a command that acts on the existing aggregate, or choose another id");
        this.aggregateType = aggregateType;
        this.aggregateId = aggregateId;
    }

    /** The aggregate's class. */
    public Class<?> aggregateType() {
        return aggregateType;
    }

    /** The id that is taken. */
    public String aggregateId() {
        return aggregateId;
    }
}
