package dev.kappa.framework;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an {@link Aggregate} that evolves its state from one event: an instance method returning
 * {@code void} with the event as its only parameter. It may be declared for an event's supertype or interface; the
 * most specific handler wins. It must not fail or decide anything: it only records what has happened.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface EventSourcingHandler {
}
