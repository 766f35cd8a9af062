package dev.kappa.projections;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a blue-green {@link Projection} (one that declares {@link Projection#tables() tables}) that
 * creates the physical tables of a new generation. It takes a {@link ProjectionTables} that names them, and runs in
 * the transaction that registers the generation.
 *
 * <pre>{@code
 * @CreateTables
 * void create(ProjectionTables tables) {
 *     jdbc.execute("CREATE TABLE " + tables.name("account_balance")
 *             + " (account_id text PRIMARY KEY, balance bigint NOT NULL, version bigint NOT NULL)");
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CreateTables {
}
