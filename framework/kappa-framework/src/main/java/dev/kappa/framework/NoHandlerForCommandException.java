package dev.kappa.framework;

/** No registered aggregate handles the command's type. */
public class NoHandlerForCommandException extends IllegalArgumentException {

    public NoHandlerForCommandException(Class<?> commandType) {
        super("no @CommandHandler handles " + commandType.getName()
                + ": add one to an @Aggregate class and register that class with the gateway");
    }
}
