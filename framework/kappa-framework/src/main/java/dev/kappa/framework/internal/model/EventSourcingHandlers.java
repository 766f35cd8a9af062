package dev.kappa.framework.internal.model;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code @EventSourcingHandler}s of one aggregate class, and which one applies to an event class: the handler
 * whose parameter type is the most specific supertype of the event's class. Resolutions are cached.
 *
 * <p>Thread-safe.
 */
final class EventSourcingHandlers {

    private final Map<Class<?>, Method> byParameterType;
    private final Map<Class<?>, Optional<Method>> resolved = new ConcurrentHashMap<>();

    EventSourcingHandlers(Map<Class<?>, Method> byParameterType) {
        this.byParameterType = Map.copyOf(byParameterType);
        this.byParameterType.values().forEach(method -> method.setAccessible(true));
    }

    /** Whether some handler takes this type, or a supertype of it. */
    boolean handles(Class<?> eventType) {
        return handlerFor(eventType).isPresent();
    }

    java.util.Set<Class<?>> parameterTypes() {
        return byParameterType.keySet();
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
        return resolved.computeIfAbsent(eventType, this::mostSpecific);
    }

    private Optional<Method> mostSpecific(Class<?> eventType) {
        Method exact = byParameterType.get(eventType);
        if (exact != null) {
            return Optional.of(exact);
        }
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> parameterType : byParameterType.keySet()) {
            if (parameterType.isAssignableFrom(eventType)) {
                candidates.add(parameterType);
            }
        }
        // keep only the candidates no other candidate is more specific than
        candidates.removeIf(candidate -> candidates.stream()
                .anyMatch(other -> other != candidate && candidate.isAssignableFrom(other)));
        if (candidates.size() > 1) {
            throw new IllegalStateException("several @EventSourcingHandlers fit " + eventType.getName() + " equally: "
                    + candidates.stream().map(type -> ModelProblems.describe(byParameterType.get(type))).toList()
                    + "; add one for " + eventType.getSimpleName() + " itself");
        }
        return candidates.stream().findFirst().map(byParameterType::get);
    }
}
