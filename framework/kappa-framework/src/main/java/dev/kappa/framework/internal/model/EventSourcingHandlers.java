package dev.kappa.framework.internal.model;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.kappa.eventstore.dispatch.AmbiguousHandlersException;
import dev.kappa.eventstore.dispatch.HandlersByType;

/**
 * The {@code @EventSourcingHandler}s of one aggregate class, and which one applies to an event class: the handler
 * whose parameter type is the most specific supertype of the event's class, as {@link HandlersByType} (shared with
 * projections) finds it. Resolutions are cached there.
 *
 * <p>Thread-safe.
 */
final class EventSourcingHandlers {

    private final HandlersByType<Method> handlers;

    EventSourcingHandlers(Map<Class<?>, Method> byParameterType) {
        byParameterType.values().forEach(method -> method.setAccessible(true));
        this.handlers = new HandlersByType<>(byParameterType);
    }

    /** Whether some handler takes this type, or a supertype of it. */
    boolean handles(Class<?> eventType) {
        return handlerFor(eventType).isPresent();
    }

    Set<Class<?>> parameterTypes() {
        return handlers.eventTypes();
    }

    void apply(Object aggregate, Object event) {
        Method handler = handlerFor(event.getClass()).orElseThrow(() -> new IllegalStateException(
                aggregate.getClass().getSimpleName() + " has no @EventSourcingHandler for "
                        + event.getClass().getName() + "; add one (it may be empty) so that its state can be rebuilt"
                        + " from this event"));
        try {
            handler.invoke(aggregate, event);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException(ModelProblems.describe(handler) + " failed on " + event + ": " + cause
                    + "; event-sourcing handlers must not fail, as the event has happened", cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + ModelProblems.describe(handler) + ": " + e.getMessage(), e);
        }
    }

    private Optional<Method> handlerFor(Class<?> eventType) {
        try {
            return handlers.find(eventType);
        } catch (AmbiguousHandlersException e) {
            throw new IllegalStateException("several @EventSourcingHandlers fit " + eventType.getName() + " equally: "
                    + e.handlers().stream().map(method -> ModelProblems.describe((Method) method)).toList()
                    + "; add one for " + eventType.getSimpleName() + " itself", e);
        }
    }
}
