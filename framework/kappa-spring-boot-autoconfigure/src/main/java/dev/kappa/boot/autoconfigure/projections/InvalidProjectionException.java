package dev.kappa.boot.autoconfigure.projections;

/** A {@code @Projection} bean that the projection runtime refuses, with the reason it gave. */
public class InvalidProjectionException extends IllegalStateException {

    private final String beanName;

    public InvalidProjectionException(String beanName, Class<?> type, IllegalArgumentException cause) {
        super("the @Projection bean '" + beanName + "' (" + type.getName() + ") cannot run: " + cause.getMessage(),
                cause);
        this.beanName = beanName;
    }

    /** The name of the bean the runtime refused. */
    public String beanName() {
        return beanName;
    }
}
