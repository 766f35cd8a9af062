package dev.kappa.projections;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a {@link Projection} that prepares its read model for a replay. It takes no parameter or a
 * {@link ResetContext}.
 *
 * <p>By default the handler clears the read model, and the projection can be reset only to offset 0: a replay from a
 * later offset would leave out every event up to it. A handler that can bring the read model back to the state it had
 * at any offset — it removes only what the events after {@link ResetContext#toOffset()} wrote, such as rows that
 * record the offset of the event that made them — says so with {@link #toOffset() toOffset = true}:
 *
 * <pre>{@code
 * @ResetHandler(toOffset = true)
 * void reset(ResetContext reset) {
 *     jdbc.update("DELETE FROM account_transactions WHERE log_offset > ?", reset.toOffset());
 * }
 * }</pre>
 *
 * <p>For a database projection it runs in the same transaction that moves the checkpoints, so a reset is atomic.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ResetHandler {

    /**
     * Whether the handler brings the read model back to {@link ResetContext#toOffset()} rather than clearing it, so
     * that the projection may be reset to any offset. Requires a {@link ResetContext} parameter. {@code false} (the
     * default): a reset to an offset above 0 is refused.
     */
    boolean toOffset() default false;
}
