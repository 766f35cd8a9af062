package dev.kappa.eventstore;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names an event type in the log. The name is what is stored, so it must outlive refactoring: renaming or moving
 * the class keeps the name, and old records still decode. Without this annotation the name is the class's simple
 * name.
 *
 * <pre>{@code
 * @EventType("MoneyDeposited")
 * public record MoneyDeposited(String accountId, long amount) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    /** The stable type name: not blank, unique among the registered types. */
    String value();
}
