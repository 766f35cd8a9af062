package dev.kappa.framework;

/** A command that creates an aggregate named one whose stream exists already. Nothing was appended. */
public class AggregateAlreadyExistsException extends AggregateCommandException {

    public AggregateAlreadyExistsException(Class<?> aggregateType, String aggregateId, Class<?> commandType) {
        super(aggregateType.getSimpleName() + " '" + aggregateId + "' already exists: " + commandType.getSimpleName()
                + " creates a new one; send a command that acts on the existing aggregate, or choose another id",
                aggregateType, aggregateId);
    }
}
