package dev.kappa.framework;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the component of a command record (or the field of a command class) that holds the id of the aggregate the
 * command is for.
 *
 * <pre>{@code record Withdraw(@TargetAggregateId String accountId, long amount) {}}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface TargetAggregateId {
}
