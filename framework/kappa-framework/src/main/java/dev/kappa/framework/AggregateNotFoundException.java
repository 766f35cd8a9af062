package dev.kappa.framework;

/** A command named an aggregate that has no events. */
public class AggregateNotFoundException extends RuntimeException {

    private final Class<?> aggregateType;
    private final String aggregateId;

    public AggregateNotFoundException(Class<?> aggregateType, String aggregateId, Class<?> commandType) {
        super(aggregateType.getSimpleName() + " '" + aggregateId + "' does not exist, so it cannot handle "
                + commandType.getSimpleName() + "; create it first");
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
