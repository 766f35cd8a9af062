package dev.kappa.framework;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an {@link Aggregate} that handles a command and returns the events it decides: one event, a
 * {@code List} (or other collection) of events, or nothing ({@code void}, {@code null} or an empty list).
 *
 * <ul>
 *   <li>On a <b>static</b> method (a factory), it creates the aggregate: the events are applied to a new instance and
 *       appended to a stream that must not exist yet. (A constructor cannot return events, so creation is a static
 *       method.)</li>
 *   <li>On an instance method, it acts on an existing aggregate, loaded from its events: the command names it with
 *       a {@link TargetAggregateId} component.</li>
 * </ul>
 *
 * The first parameter is the command; an optional second parameter of type {@link CommandMessage} gives its
 * metadata. To reject a command, throw an exception: it reaches the caller unchanged and nothing is appended.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CommandHandler {
}
