package dev.kappa.projections;

import java.util.Objects;

import dev.kappa.projections.internal.upsert.MergeRule;
import dev.kappa.projections.internal.upsert.UpsertSpec;
import dev.kappa.projections.internal.upsert.WriteBatch;

/**
 * Batched writes to one table of a database read model: handlers stage rows, merged in memory per key, and the worker
 * writes them all with one multi-row {@code INSERT … ON CONFLICT DO UPDATE} per table at the end of its batch, in the
 * batch's transaction, just before the checkpoint. A replay of a million events then costs a few hundred statements,
 * not a million round trips. A rolled-back batch discards what it staged.
 *
 * <pre>{@code
 * private final Upserts balances = Upserts.into("account_balance").key("account_id").add("balance").max("version");
 *
 * @EventHandler
 * void on(MoneyDeposited event, EventContext context) {
 *     balances.row(context.streamId()).put("balance", event.amount()).put("version", context.streamVersion());
 * }
 * }</pre>
 *
 * <p>Each value column has a merge rule, applied both between rows staged in one batch and against the row already in
 * the table: {@link #set} (the latest value wins), {@link #add} (values are summed; 0 when not staged), {@link #max}
 * and {@link #min}. A column a row does not stage keeps its value (or is {@code NULL} in a new row). The key columns
 * need a primary key or unique constraint. {@link #delete} removes a row; rows staged after it are written anew.
 *
 * <p>Staged rows are written at the end of the batch, so a handler does not see them in the table; a handler that
 * reads its own rows should write them with {@code JdbcTemplate} instead. Values are passed to PostgreSQL as text
 * and converted to the column's type: numbers, strings, booleans, {@code java.time} values, UUIDs and enums work.
 *
 * <p>An {@code Upserts} is an immutable description, usually a field of the projection; it may be used by several
 * workers at once, each staging into its own batch. Staging works only inside an {@link EventHandler} called by a
 * worker of a database projection.
 */
public final class Upserts {

    private final UpsertSpec spec;

    private Upserts(UpsertSpec spec) {
        this.spec = spec;
    }

    /**
     * Writes into the table with this logical name (see {@link ProjectionTables}): a lower-case SQL identifier.
     */
    public static Upserts into(String table) {
        return new Upserts(UpsertSpec.of(table));
    }

    /** The key columns, in the order {@link #row(Object...)} takes their values. */
    public Upserts key(String... columns) {
        return new Upserts(spec.withKey(columns));
    }

    /** Columns whose latest staged value wins. */
    public Upserts set(String... columns) {
        return new Upserts(spec.withColumns(MergeRule.SET, columns));
    }

    /** Numeric columns whose staged values are added to the stored one. */
    public Upserts add(String... columns) {
        return new Upserts(spec.withColumns(MergeRule.ADD, columns));
    }

    /** Columns that keep the greatest of their stored and staged values. */
    public Upserts max(String... columns) {
        return new Upserts(spec.withColumns(MergeRule.MAX, columns));
    }

    /** Columns that keep the least of their stored and staged values. */
    public Upserts min(String... columns) {
        return new Upserts(spec.withColumns(MergeRule.MIN, columns));
    }

    /** The logical table name. */
    public String table() {
        return spec.table();
    }

    /**
     * The staged row with this key (a single-column key), created if the batch has none yet.
     *
     * @throws IllegalStateException    if called outside a database projection's event handler, or no key is declared
     * @throws IllegalArgumentException if the key is null or the table has a composite key
     */
    public Row row(Object key) {
        return WriteBatch.current(spec).row(spec.key(key));
    }

    /** The staged row with this composite key, its values in the order of {@link #key(String...)}. */
    public Row row(Object... key) {
        return WriteBatch.current(spec).row(spec.key(key));
    }

    /** Deletes the row with this key (a single-column key) at the end of the batch. */
    public void delete(Object key) {
        WriteBatch.current(spec).delete(spec.key(key));
    }

    /** Deletes the row with this composite key at the end of the batch. */
    public void delete(Object... key) {
        WriteBatch.current(spec).delete(spec.key(key));
    }

    @Override
    public String toString() {
        return "Upserts[" + spec + "]";
    }

    /**
     * A row staged in the current batch. Not thread-safe: it belongs to the worker that staged it.
     */
    public interface Row {

        /**
         * Merges a value into a column by the column's rule.
         *
         * @throws IllegalArgumentException if the column is not declared, is a key column, the value is null, or it
         *                                  cannot be merged (a string into an {@code add} column, say)
         */
        Row put(String column, Object value);
    }
}
