package dev.kappa.boot.autoconfigure.store;

import java.util.Collection;
import java.util.Set;

/**
 * Event classes the auto-configured codec must know, contributed as beans: the aggregates' and projections'
 * auto-configuration contribute those their classes handle. An application rarely needs one of its own; an
 * {@code @EventType} class in its packages is found anyway.
 *
 * @param types event classes, or sealed interfaces of them
 */
public record KappaEventTypes(Set<Class<?>> types) {

    public KappaEventTypes(Collection<Class<?>> types) {
        this(Set.copyOf(types));
    }
}
