package dev.kappa.projections.internal.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.UnknownEventTypeException;

/**
 * Finds the handler of a stored event type: the codec says which class the name decodes to, and the most specific
 * handler whose parameter accepts that class handles it. The answer is cached per type name, so that the records of
 * types the projection ignores are skipped with one map lookup and never decoded.
 *
 * <p>Thread-safe: the workers of all segments of a projection share one resolver.
 */
public final class HandlerResolver {

    private static final Optional<HandlerMethod> NONE = Optional.empty();

    private final ProjectionDefinition definition;
    private final EventCodec codec;
    private final Map<String, Optional<HandlerMethod>> byStoredType = new ConcurrentHashMap<>();

    public HandlerResolver(ProjectionDefinition definition, EventCodec codec) {
        this.definition = definition;
        this.codec = codec;
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
        List<HandlerMethod> matching = new ArrayList<>();
        for (HandlerMethod handler : definition.handlers()) {
            if (handler.eventType().isAssignableFrom(eventClass)) {
                matching.add(handler);
            }
        }
        if (matching.isEmpty()) {
            return NONE;
        }
        HandlerMethod best = matching.get(0);
        for (HandlerMethod candidate : matching) {
            if (best.eventType().isAssignableFrom(candidate.eventType())) {
                best = candidate;
            }
        }
        for (HandlerMethod other : matching) {
            if (!other.eventType().isAssignableFrom(best.eventType())) {
                throw new IllegalStateException("projection '" + definition.name() + "' has two handlers for event"
                        + " type '" + storedType + "' (" + eventClass.getName() + ") and neither is more specific: "
                        + best + " and " + other + "; add a handler for " + eventClass.getSimpleName() + " itself");
            }
        }
        return Optional.of(best);
    }
}
