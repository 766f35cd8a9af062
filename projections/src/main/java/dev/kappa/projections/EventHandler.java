package dev.kappa.projections;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Projection} that applies an event to the read model. Its first parameter is the event:
 * a registered event class, or a supertype or interface of some (then it receives all of them); an optional second
 * parameter receives the {@link EventContext}. It returns nothing.
 *
 * <pre>{@code
 * @EventHandler
 * void on(MoneyDeposited event, EventContext context) { ... }
 * }</pre>
 *
 * <p>For each event the most specific matching handler runs, once. Events no handler matches are skipped without
 * being decoded. Handlers may be called concurrently by the workers of different segments or generations of the
 * projection: keep the read model in the database, or in thread-safe structures.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface EventHandler {
}
