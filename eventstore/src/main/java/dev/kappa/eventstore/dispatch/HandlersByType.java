package dev.kappa.eventstore.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handlers keyed by the event type each takes, and which one handles an event class: the one whose type is the
 * class itself or else its most specific supertype. Answers are cached per class; an ambiguity is not cached, and is
 * reported again on every lookup.
 *
 * <p>Thread-safe, if the handlers are.
 *
 * @param <H> what a handler is (a method, or a caller's wrapper of one)
 */
public final class HandlersByType<H> {

    private final Map<Class<?>, H> byEventType;
    private final Map<Class<?>, Optional<H>> resolved = new ConcurrentHashMap<>();

    /**
     * @param byEventType each handler under the event type it takes; the order of registration is kept, and is the
     *                    order in which an ambiguity names the handlers
     */
    public HandlersByType(Map<Class<?>, ? extends H> byEventType) {
        this.byEventType = Collections.unmodifiableMap(new LinkedHashMap<>(byEventType));
    }

    /** The event types the handlers take, in the order of registration. */
    public Set<Class<?>> eventTypes() {
        return byEventType.keySet();
    }

    /**
     * The handler of {@code eventClass}: the one taking that class, or else the one taking its most specific
     * supertype; empty if no handler takes it or a supertype.
     *
     * @throws AmbiguousHandlersException if several handlers take supertypes of it and none is more specific than the
     *                                    others
     */
    public Optional<H> find(Class<?> eventClass) {
        Optional<H> cached = resolved.get(eventClass);
        if (cached != null) {
            return cached;
        }
        return resolved.computeIfAbsent(eventClass, this::mostSpecific);
    }

    private Optional<H> mostSpecific(Class<?> eventClass) {
        H exact = byEventType.get(eventClass);
        if (exact != null) {
            return Optional.of(exact);
        }
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> eventType : byEventType.keySet()) {
            if (eventType.isAssignableFrom(eventClass)) {
                candidates.add(eventType);
            }
        }
        // keep only the candidates no other candidate is more specific than
        candidates.removeIf(candidate -> candidates.stream()
                .anyMatch(other -> other != candidate && candidate.isAssignableFrom(other)));
        if (candidates.size() > 1) {
            throw new AmbiguousHandlersException(eventClass, candidates.stream().map(byEventType::get).toList());
        }
        return candidates.stream().findFirst().map(byEventType::get);
    }
}
