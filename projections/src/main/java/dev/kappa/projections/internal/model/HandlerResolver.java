package dev.kappa.projections.internal.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.UnknownEventTypeException;
import dev.kappa.eventstore.dispatch.AmbiguousHandlersException;
import dev.kappa.eventstore.dispatch.HandlersByType;

/**
 * Finds the handler of a stored event type: the codec says which class the name decodes to, and the most specific
 * handler whose parameter accepts that class handles it, as {@link HandlersByType} (shared with aggregates) finds it.
 * The answer is cached per type name, so that the records of types the projection ignores are skipped with one map
 * lookup and never decoded.
 *
 * <p>Thread-safe: the workers of all segments of a projection share one resolver.
 */
public final class HandlerResolver {

    private final ProjectionDefinition definition;
    private final EventCodec codec;
    private final HandlersByType<HandlerMethod> handlers;
    private final Map<String, Optional<HandlerMethod>> byStoredType = new ConcurrentHashMap<>();

    public HandlerResolver(ProjectionDefinition definition, EventCodec codec) {
        this.definition = definition;
        this.codec = codec;
        Map<Class<?>, HandlerMethod> byEventType = new LinkedHashMap<>();
        for (HandlerMethod handler : definition.handlers()) {
            byEventType.put(handler.eventType(), handler);
        }
        this.handlers = new HandlersByType<>(byEventType);
    }

    /**
     * The handler of records stored under {@code storedType}, or empty if the projection ignores them.
     *
     * @throws UnknownEventTypeException if the codec does not know the type: the record cannot be judged, and an
     *                                   event is never skipped silently
     * @throws IllegalStateException     if two handlers match and neither is more specific
     */
    public Optional<HandlerMethod> resolve(String storedType, long offset) {
        Optional<HandlerMethod> cached = byStoredType.get(storedType);
        if (cached != null) {
            return cached;
        }
        Class<?> eventClass = codec.classOf(storedType)
                .orElseThrow(() -> new UnknownEventTypeException(storedType, offset));
        Optional<HandlerMethod> handler = mostSpecific(eventClass, storedType);
        byStoredType.put(storedType, handler);
        return handler;
    }

    private Optional<HandlerMethod> mostSpecific(Class<?> eventClass, String storedType) {
        try {
            return handlers.find(eventClass);
        } catch (AmbiguousHandlersException e) {
            throw new IllegalStateException("projection '" + definition.name() + "' has two handlers for event"
                    + " type '" + storedType + "' (" + eventClass.getName() + ") and neither is more specific: "
                    + e.handlers().get(0) + " and " + e.handlers().get(1) + "; add a handler for "
                    + eventClass.getSimpleName() + " itself", e);
        }
    }
}
