package dev.kappa.projections.internal.upsert;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.kappa.projections.ProjectionTables;

/**
 * The writes the handlers of one worker batch staged, bound to the worker's thread while its handlers run (as Spring
 * binds a transaction to a thread), so that a shared {@code Upserts} field stages into the batch of whichever worker
 * calls it.
 *
 * <p>Not thread-safe: it belongs to the thread it is bound to.
 */
public final class WriteBatch implements AutoCloseable {

    private static final ThreadLocal<WriteBatch> CURRENT = new ThreadLocal<>();

    private final String projection;
    private final boolean database;
    private final boolean concurrent;
    private final Map<UpsertSpec, StagedRows> bySpec = new IdentityHashMap<>();
    private final List<StagedRows> inOrder = new ArrayList<>();

    private WriteBatch(String projection, boolean database, boolean concurrent) {
        this.projection = projection;
        this.database = database;
        this.concurrent = concurrent;
    }

    /**
     * Binds a new, empty batch to the calling thread.
     *
     * @param database   whether the projection writes to the database; staging fails otherwise
     * @param concurrent whether other workers may write the same tables at once (other segments): rows are then
     *                   written in key order, so that no two workers deadlock
     */
    public static WriteBatch open(String projection, boolean database, boolean concurrent) {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("a write batch of projection '" + CURRENT.get().projection
                    + "' is already open on thread " + Thread.currentThread().getName());
        }
        WriteBatch batch = new WriteBatch(projection, database, concurrent);
        CURRENT.set(batch);
        return batch;
    }

    /**
     * The rows {@code spec} staged in the calling thread's batch.
     *
     * @throws IllegalStateException outside a database projection's worker
     */
    public static StagedRows current(UpsertSpec spec) {
        WriteBatch batch = CURRENT.get();
        if (batch == null) {
            throw new IllegalStateException("Upserts into '" + spec.table() + "' can stage rows only inside an"
                    + " @EventHandler called by a projection worker");
        }
        if (!batch.database) {
            throw new IllegalStateException("projection '" + batch.projection + "' is in memory: it has no database"
                    + " transaction to write Upserts into '" + spec.table() + "' in");
        }
        StagedRows rows = batch.bySpec.get(spec);
        if (rows == null) {
            rows = new StagedRows(spec);
            batch.bySpec.put(spec, rows);
            batch.inOrder.add(rows);
        }
        return rows;
    }

    /** The rows staged so far, over all tables: a row staged twice (one key) counts once. */
    public int stagedRows() {
        int rows = 0;
        for (int i = 0, n = inOrder.size(); i < n; i++) {
            rows += inOrder.get(i).size();
        }
        return rows;
    }

    /** Whether nothing was staged. */
    public boolean isEmpty() {
        return inOrder.stream().allMatch(StagedRows::isEmpty);
    }

    /** Writes what was staged, each {@code Upserts} in the order it first staged, on the batch's connection. */
    public void flush(UpsertWriter writer, Connection connection, ProjectionTables tables) throws SQLException {
        for (StagedRows rows : inOrder) {
            if (!rows.isEmpty()) {
                writer.write(connection, rows, tables.name(rows.spec().table()), concurrent);
            }
        }
    }

    /** Drops what was staged (after a rollback, say). */
    void clear() {
        bySpec.clear();
        inOrder.clear();
    }

    /** Unbinds the batch from the thread. */
    @Override
    public void close() {
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }
}
