package dev.kappa.framework;

/** A command named an aggregate that has no events. */
public class AggregateNotFoundException extends AggregateCommandException {

    public AggregateNotFoundException(Class<?> aggregateType, String aggregateId, Class<?> commandType) {
        super(aggregateType.getSimpleName() + " '" + aggregateId + "' does not exist, so it cannot handle "
                + commandType.getSimpleName() + "; create it first", aggregateType,
                aggregateId);
    }
}
