package dev.kappa.projections;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a {@link Projection} that clears its read model before a replay: to nothing for a reset to
 * offset 0, or back to the state at {@link ResetContext#toOffset()} for a reset to a later offset. It takes no
 * parameter or a {@link ResetContext}.
 *
 * <p>For a database projection it runs in the same transaction that moves the checkpoints, so a reset is atomic.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ResetHandler {
}
