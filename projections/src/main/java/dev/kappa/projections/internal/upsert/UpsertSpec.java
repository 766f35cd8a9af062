package dev.kappa.projections.internal.upsert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an {@code Upserts} writes: a logical table, its key columns and its value columns with their merge rules.
 * Immutable and thread-safe; compared by identity, so that each declared {@code Upserts} stages rows of its own.
 */
public final class UpsertSpec {

    /** Lower-case unquoted SQL identifiers only: the names are put into statements, so nothing else may pass. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String table;
    private final List<String> keyColumns;
    private final List<String> valueColumns;
    private final List<MergeRule> rules;
    private final Map<String, Integer> valueIndex;

    private UpsertSpec(String table, List<String> keyColumns, List<String> valueColumns, List<MergeRule> rules) {
        this.table = table;
        this.keyColumns = List.copyOf(keyColumns);
        this.valueColumns = List.copyOf(valueColumns);
        this.rules = List.copyOf(rules);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < valueColumns.size(); i++) {
            index.put(valueColumns.get(i), i);
        }
        this.valueIndex = Map.copyOf(index);
    }

    /** A spec for a table with no columns yet. */
    public static UpsertSpec of(String table) {
        return new UpsertSpec(requireIdentifier(table, "table name"), List.of(), List.of(), List.of());
    }

    /** This spec with its key columns set. */
    public UpsertSpec withKey(String... columns) {
        if (!keyColumns.isEmpty()) {
            throw new IllegalStateException("the key of Upserts into '" + table + "' is already " + keyColumns);
        }
        if (columns == null || columns.length == 0) {
            throw new IllegalArgumentException("Upserts into '" + table + "' needs at least one key column");
        }
        List<String> key = new ArrayList<>();
        for (String column : columns) {
            key.add(requireNew(column));
        }
        requireDistinct(key);
        return new UpsertSpec(table, key, valueColumns, rules);
    }

    /** This spec with more value columns, merged by {@code rule}. */
    public UpsertSpec withColumns(MergeRule rule, String... columns) {
        if (columns == null || columns.length == 0) {
            throw new IllegalArgumentException("no column given for rule " + rule + " of Upserts into '" + table + "'");
        }
        List<String> names = new ArrayList<>(valueColumns);
        List<MergeRule> merged = new ArrayList<>(rules);
        for (String column : columns) {
            names.add(requireNew(column));
            merged.add(rule);
        }
        requireDistinct(names);
        return new UpsertSpec(table, keyColumns, names, merged);
    }

    /** The logical table name. */
    public String table() {
        return table;
    }

    /** The key columns. */
    List<String> keyColumns() {
        return keyColumns;
    }

    /** The value columns. */
    List<String> valueColumns() {
        return valueColumns;
    }

    /** The merge rule of value column {@code index}. */
    MergeRule rule(int index) {
        return rules.get(index);
    }

    /**
     * The index of a value column.
     *
     * @throws IllegalArgumentException if it is not one
     */
    int valueIndex(String column) {
        Integer index = valueIndex.get(column);
        if (index == null) {
            String what = keyColumns.contains(column) ? "is a key column: pass it to row(...)"
                    : "is not declared (declared: " + valueColumns + ")";
            throw new IllegalArgumentException("column '" + column + "' of Upserts into '" + table + "' " + what);
        }
        return index;
    }

    /** The staging key of a single-column key value. */
    public Object key(Object value) {
        requireKeyDeclared();
        if (keyColumns.size() != 1) {
            throw new IllegalArgumentException("Upserts into '" + table + "' has the composite key " + keyColumns
                    + ": pass " + keyColumns.size() + " values");
        }
        if (value == null) {
            throw new IllegalArgumentException("key " + keyColumns.get(0) + " of Upserts into '" + table
                    + "' must not be null");
        }
        return MergeRule.normalize(value);
    }

    /** The staging key of a key value per key column: the value itself for a single column, a list otherwise. */
    public Object key(Object... values) {
        requireKeyDeclared();
        if (values == null || values.length != keyColumns.size()) {
            throw new IllegalArgumentException("Upserts into '" + table + "' has the key " + keyColumns + " but got "
                    + (values == null ? "null" : values.length + " values " + Arrays.toString(values)));
        }
        if (values.length == 1) {
            return key(values[0]);
        }
        Object[] normalized = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("key column " + keyColumns.get(i) + " of Upserts into '" + table
                        + "' must not be null");
            }
            normalized[i] = MergeRule.normalize(values[i]);
        }
        return List.of(normalized);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(table).append(" key ").append(keyColumns);
        for (int i = 0; i < valueColumns.size(); i++) {
            text.append(", ").append(rules.get(i).name().toLowerCase()).append(' ').append(valueColumns.get(i));
        }
        return text.toString();
    }

    private void requireKeyDeclared() {
        if (keyColumns.isEmpty()) {
            throw new IllegalStateException("Upserts into '" + table + "' has no key: declare it with key(...)");
        }
    }

    private String requireNew(String column) {
        requireIdentifier(column, "column name of Upserts into '" + table + "'");
        if (keyColumns.contains(column) || valueColumns.contains(column)) {
            throw new IllegalArgumentException("column '" + column + "' of Upserts into '" + table
                    + "' is declared twice");
        }
        return column;
    }

    private void requireDistinct(List<String> columns) {
        if (columns.stream().distinct().count() != columns.size()) {
            throw new IllegalArgumentException("Upserts into '" + table + "' names a column twice: " + columns);
        }
    }

    static String requireIdentifier(String name, String what) {
        Objects.requireNonNull(name, what + " must not be null");
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' must be a lower-case SQL identifier: letters,"
                    + " digits and underscores, at most 63 characters, not starting with a digit");
        }
        return name;
    }
}
