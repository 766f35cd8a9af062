package dev.kappa.projections.internal.model;

import java.lang.reflect.Method;

import dev.kappa.projections.EventContext;

/**
 * One {@code @EventHandler} method: the event type it takes and whether it takes the context too. Immutable and
 * thread-safe.
 */
public final class HandlerMethod {

    private final Method method;
    private final Class<?> eventType;
    private final boolean takesContext;

    HandlerMethod(Method method, Class<?> eventType, boolean takesContext) {
        this.method = method;
        this.eventType = eventType;
        this.takesContext = takesContext;
    }

    /** The event type the handler takes: a class or an interface. */
    Class<?> eventType() {
        return eventType;
    }

    /**
     * Calls the handler.
     *
     * @throws Exception whatever the handler throws
     */
    public void invoke(Object target, Object event, EventContext context) throws Exception {
        if (takesContext) {
            Invocations.invoke(method, target, event, context);
        } else {
            Invocations.invoke(method, target, event);
        }
    }

    @Override
    public String toString() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "(" + eventType.getSimpleName()
                + (takesContext ? ", EventContext" : "") + ")";
    }
}
