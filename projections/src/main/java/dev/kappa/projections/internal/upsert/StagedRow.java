package dev.kappa.projections.internal.upsert;

import java.util.Objects;

import dev.kappa.projections.Upserts;

/**
 * One key's staged change within a batch: an optional delete of the stored row, then an optional upsert of the
 * merged values. Not thread-safe: it belongs to the worker whose batch staged it.
 */
final class StagedRow implements Upserts.Row {

    private final UpsertSpec spec;
    private final Object key;
    private final Object[] values;
    private boolean deleteFirst;
    private boolean upsert;

    StagedRow(UpsertSpec spec, Object key) {
        this.spec = spec;
        this.key = key;
        this.values = new Object[spec.valueColumns().size()];
    }

    @Override
    public Upserts.Row put(String column, Object value) {
        int index = spec.valueIndex(column);
        Objects.requireNonNull(value, () -> "value of column '" + column + "' of Upserts into '" + spec.table()
                + "' must not be null: a column a row does not stage keeps its value");
        values[index] = spec.rule(index).merge(values[index], MergeRule.normalize(value), column);
        return this;
    }

    /** The row is to exist after the batch. */
    void markUpsert() {
        upsert = true;
    }

    /** The stored row is to be deleted; what was staged before is dropped, what is staged after is written anew. */
    void markDelete() {
        deleteFirst = true;
        upsert = false;
        java.util.Arrays.fill(values, null);
    }

    Object key() {
        return key;
    }

    Object value(int index) {
        return values[index];
    }

    boolean deleteFirst() {
        return deleteFirst;
    }

    boolean upsert() {
        return upsert;
    }
}
