package dev.kappa.eventstore.dispatch;

import java.util.List;

/**
 * Thrown when two or more handlers take supertypes of an event's class and none of them is more specific than the
 * others: the event cannot be routed. The fix is a handler for the event's class itself. Callers usually rethrow it
 * in their own words, naming the aggregate or projection.
 */
public class AmbiguousHandlersException extends IllegalStateException {

    private final transient Class<?> eventClass;
    private final transient List<?> handlers;

    /**
     * @param eventClass the event's class
     * @param handlers   the handlers that fit it equally well, at least two
     */
    public AmbiguousHandlersException(Class<?> eventClass, List<?> handlers) {
        super("several handlers fit " + eventClass.getName() + " equally: " + handlers + "; add one for "
                + eventClass.getSimpleName() + " itself");
        this.eventClass = eventClass;
        this.handlers = List.copyOf(handlers);
    }

    /** The event's class. */
    public Class<?> eventClass() {
        return eventClass;
    }

    /** The handlers that fit it equally well, in the order they were registered. */
    public List<?> handlers() {
        return handlers;
    }
}
