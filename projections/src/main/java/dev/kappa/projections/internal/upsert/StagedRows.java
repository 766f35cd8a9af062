package dev.kappa.projections.internal.upsert;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kappa.projections.Upserts;

/**
 * The rows one {@code Upserts} staged in one batch, by key. Not thread-safe: it belongs to one worker's batch.
 */
public final class StagedRows {

    private final UpsertSpec spec;
    private final Map<Object, StagedRow> rows = new HashMap<>();

    StagedRows(UpsertSpec spec) {
        this.spec = spec;
    }

    /** The staged row of {@code key} (a key from {@link UpsertSpec#key}), created if there is none. */
    public Upserts.Row row(Object key) {
        StagedRow row = rows.get(key);
        if (row == null) {
            row = new StagedRow(spec, key);
            rows.put(key, row);
        }
        row.markUpsert();
        return row;
    }

    /** Stages the deletion of {@code key}'s row. */
    public void delete(Object key) {
        rows.computeIfAbsent(key, k -> new StagedRow(spec, k)).markDelete();
    }

    UpsertSpec spec() {
        return spec;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** How many rows (keys) are staged. */
    int size() {
        return rows.size();
    }

    /**
     * The rows, in key order when {@code ordered} and the keys are comparable: workers writing overlapping keys at
     * once then lock them in the same order and cannot deadlock. A lone writer need not pay for the sort.
     */
    List<StagedRow> rows(boolean ordered) {
        List<StagedRow> list = new ArrayList<>(rows.values());
        if (ordered && allComparable(rows.keySet())) {
            list.sort(Comparator.comparing(StagedRow::key, StagedRows::compareKeys));
        }
        return list;
    }

    private static boolean allComparable(Collection<Object> keys) {
        Class<?> type = null;
        for (Object key : keys) {
            if (type == null) {
                type = key.getClass();
            }
            if (key.getClass() != type || !(key instanceof Comparable<?> || key instanceof List<?>)) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(Object a, Object b) {
        if (a instanceof List<?> left && b instanceof List<?> right) {
            for (int i = 0; i < left.size(); i++) {
                Object x = left.get(i);
                Object y = right.get(i);
                if (!(x instanceof Comparable) || x.getClass() != y.getClass()) {
                    return 0;
                }
                int order = ((Comparable) x).compareTo(y);
                if (order != 0) {
                    return order;
                }
            }
            return 0;
        }
        return ((Comparable) a).compareTo(b);
    }
}
