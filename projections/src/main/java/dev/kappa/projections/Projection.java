package dev.kappa.projections;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a projection: a read model derived from the log by its {@link EventHandler} methods, kept up to
 * date by a {@link ProjectionRuntime}.
 *
 * <pre>{@code
 * @Projection(value = "account-balances", segments = 4, version = 2, tables = "account_balance")
 * class AccountBalances { ... }
 * }</pre>
 *
 * <p>A database projection (the default) writes its read model in the worker's transaction, together with its
 * checkpoint. An {@link #inMemory() in-memory} one keeps it in memory (Caffeine caches, say) and is rebuilt from the
 * log on every start.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Projection {

    /**
     * The projection's name: its identity in the checkpoint table, in status and in metrics. Letters, digits,
     * {@code _ . -}, at most 100 characters, starting with a letter or digit.
     */
    String value();

    /**
     * Into how many segments the log is split for this projection, each processed by a worker of its own; 0 (the
     * default) takes the runtime's default. Events are assigned by a stable hash of their stream id, so the order
     * within a stream is kept.
     */
    int segments() default 0;

    /**
     * The version of the projection's code. Raising it rebuilds the read model: beside the old one (blue-green) when
     * the projection declares {@link #tables()}, in place otherwise. 0 (the default) means unversioned.
     */
    int version() default 0;

    /**
     * The logical names of the tables a blue-green projection writes. Each version builds physical tables of its own
     * ({@code <table>_g<generation>}) and readers query a view named {@code <table>} that is switched, in one
     * transaction, to the new tables once they have caught up. Requires a {@link CreateTables} method.
     */
    String[] tables() default {};

    /** Whether the read model lives in memory: no transaction, checkpoint kept in memory, rebuilt on every start. */
    boolean inMemory() default false;

    /**
     * What to do with an event whose handler keeps failing after the retries: stop at it ({@link FailureMode#STOP})
     * or park it in the dead-letter table and move on ({@link FailureMode#DEAD_LETTER}). Empty (the default) takes
     * the runtime's default.
     */
    FailureMode[] onFailure() default {};

    /**
     * The Kafka topic the projection reads instead of the PostgreSQL log (a topic Kappa's relay writes); empty (the
     * default) reads the log. Its partitions become the projection's segments (declare no other segment count), and
     * its positions per partition are kept in PostgreSQL with the read model, so that each record is applied exactly
     * once, as from the log; instances share the partitions by lease. Failures, skips and dead letters name events by
     * their log offset; a reset goes back to 0 (the topic's start) only; {@code awaitCheckpoint} takes log offsets.
     * Needs {@code kappa-kafka} and Kafka configured; the property {@code kappa.projections.topics.<projection>}
     * overrides it. Not for in-memory projections.
     */
    String topic() default "";
}
