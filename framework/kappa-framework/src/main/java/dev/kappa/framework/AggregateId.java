package dev.kappa.framework;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the field of an {@link Aggregate} that holds its id, set by the event-sourcing handler of its first event.
 * The stream id is the aggregate's stream prefix followed by the id's {@code toString()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface AggregateId {
}
