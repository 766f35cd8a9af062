package dev.kappa.projections.internal.upsert;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Writes staged rows with one statement per kind: a {@code DELETE … USING unnest(…)} for the deleted keys, then an
 * {@code INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE} for the upserted rows. Each column travels as one array:
 * integers in binary, anything else as text cast to the column's type, which PostgreSQL parses as it would a literal.
 * One round trip and one plan per table and batch, whatever the number of rows.
 *
 * <p>Column types are read from the catalog once per physical table and cached, as are the statements.
 * Thread-safe: workers share one writer.
 */
public final class UpsertWriter {

    private static final String COLUMN_TYPES = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod)
              FROM pg_attribute a
             WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped""";

    private final Map<String, Map<String, String>> columnTypes = new ConcurrentHashMap<>();
    private final Map<StatementKey, Statements> statements = new ConcurrentHashMap<>();

    /**
     * Writes {@code rows} into {@code physicalTable} on {@code connection}, in its transaction.
     *
     * @param ordered whether to write them in key order (see {@link StagedRows#rows(boolean)})
     */
    void write(Connection connection, StagedRows rows, String physicalTable, boolean ordered) throws SQLException {
        Statements sql = statements(connection, rows.spec(), physicalTable);
        UpsertSpec spec = rows.spec();
        List<StagedRow> sorted = rows.rows(ordered);
        List<StagedRow> deletes = new ArrayList<>();
        List<StagedRow> upserts = new ArrayList<>(sorted.size());
        for (StagedRow row : sorted) {
            if (row.deleteFirst()) {
                deletes.add(row);
            }
            if (row.upsert()) {
                upserts.add(row);
            }
        }
        if (!deletes.isEmpty()) {
            execute(connection, sql.delete(), keyArrays(sql, deletes));
        }
        if (!upserts.isEmpty()) {
            List<Object[]> arrays = keyArrays(sql, upserts);
            for (int index = 0; index < spec.valueColumns().size(); index++) {
                Column column = sql.values().get(index);
                boolean add = spec.rule(index) == MergeRule.ADD;
                Object[] values = column.integral() ? new Long[upserts.size()] : new String[upserts.size()];
                for (int i = 0; i < values.length; i++) {
                    Object value = upserts.get(i).value(index);
                    values[i] = value == null ? (add ? column.zero() : null) : column.convert(value);
                }
                arrays.add(values);
            }
            execute(connection, sql.upsert(), arrays);
        }
    }

    /** Forgets what it knows about tables: after a failed write, one may have been changed. */
    public void forgetAll() {
        columnTypes.clear();
        statements.clear();
    }

    private Statements statements(Connection connection, UpsertSpec spec, String table) throws SQLException {
        StatementKey key = new StatementKey(spec, table);
        Statements sql = statements.get(key);
        if (sql == null) {
            sql = build(spec, table, columnTypes(connection, table));
            statements.put(key, sql);
        }
        return sql;
    }

    private Map<String, String> columnTypes(Connection connection, String table) throws SQLException {
        Map<String, String> types = columnTypes.get(table);
        if (types != null) {
            return types;
        }
        types = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMN_TYPES)) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        if (types.isEmpty()) {
            throw new IllegalStateException("table '" + table + "' does not exist: Upserts cannot write to it");
        }
        columnTypes.put(table, Map.copyOf(types));
        return types;
    }

    private static Statements build(UpsertSpec spec, String table, Map<String, String> types) {
        List<String> keys = spec.keyColumns();
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(spec.valueColumns());
        for (String column : columns) {
            if (!types.containsKey(column)) {
                throw new IllegalStateException("table '" + table + "' has no column '" + column + "' (Upserts into '"
                        + spec.table() + "' declares " + columns + "; the table has " + types.keySet() + ")");
            }
        }
        List<Column> keyColumns = keys.stream().map(name -> Column.of(name, types.get(name))).toList();
        List<Column> valueColumns = spec.valueColumns().stream().map(name -> Column.of(name, types.get(name)))
                .toList();
        String keyList = String.join(", ", keys);
        String keyArrays = keyColumns.stream().map(Column::parameter).collect(Collectors.joining(", "));
        String delete = "DELETE FROM " + table + " t USING unnest(" + keyArrays + ") AS d(" + keyList + ") WHERE "
                + keys.stream().map(column -> "t." + column + " = d." + column).collect(Collectors.joining(" AND "));
        String allArrays = keyArrays + valueColumns.stream().map(column -> ", " + column.parameter())
                .collect(Collectors.joining());
        String conflict = spec.valueColumns().isEmpty() ? "DO NOTHING"
                : "DO UPDATE SET " + IntStream.range(0, spec.valueColumns().size())
                        .mapToObj(i -> spec.rule(i).assignment(spec.valueColumns().get(i)))
                        .collect(Collectors.joining(", "));
        String upsert = "INSERT INTO " + table + " AS t (" + String.join(", ", columns) + ") SELECT * FROM unnest("
                + allArrays + ") ON CONFLICT (" + keyList + ") " + conflict;
        return new Statements(delete, upsert, keyColumns, valueColumns);
    }

    private static List<Object[]> keyArrays(Statements sql, List<StagedRow> rows) {
        int keyCount = sql.keys().size();
        List<Object[]> arrays = new ArrayList<>(keyCount + sql.values().size());
        for (int k = 0; k < keyCount; k++) {
            Column column = sql.keys().get(k);
            Object[] values = column.integral() ? new Long[rows.size()] : new String[rows.size()];
            for (int i = 0; i < values.length; i++) {
                Object key = rows.get(i).key();
                values[i] = column.convert(keyCount == 1 ? key : ((List<?>) key).get(k));
            }
            arrays.add(values);
        }
        return arrays;
    }

    private static void execute(Connection connection, String sql, List<Object[]> arrays) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            List<Array> created = new ArrayList<>(arrays.size());
            for (int i = 0; i < arrays.size(); i++) {
                Object[] values = arrays.get(i);
                Array array = connection.createArrayOf(values instanceof Long[] ? "int8" : "text", values);
                created.add(array);
                statement.setArray(i + 1, array);
            }
            statement.executeUpdate();
            for (Array array : created) {
                array.free();
            }
        }
    }

    /** The text PostgreSQL parses into the column's type. */
    static String text(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + HexFormat.of().formatHex(bytes);
        }
        // numbers, booleans, UUIDs and java.time values print in forms PostgreSQL reads
        return value.toString();
    }

    private record StatementKey(UpsertSpec spec, String table) {
    }

    private record Statements(String delete, String upsert, List<Column> keys, List<Column> values) {
    }

    /**
     * A column as the statements pass it: integers as a binary {@code int8} array (no formatting, no parsing), anything
     * else as a text array cast to the column's type.
     *
     * @param name     the column
     * @param type     its type, as the catalog prints it
     * @param integral whether it is an integer column
     */
    private record Column(String name, String type, boolean integral) {

        private static final Set<String> INTEGERS = Set.of("bigint", "integer", "smallint");

        static Column of(String name, String type) {
            return new Column(name, type, INTEGERS.contains(type));
        }

        /** The statement parameter of the column's array. */
        String parameter() {
            return (integral ? "?::int8[]::" : "?::text[]::") + type + "[]";
        }

        Object zero() {
            return integral ? (Object) 0L : "0";
        }

        Object convert(Object value) {
            if (!integral) {
                return text(value);
            }
            if (value instanceof Long whole) {
                return whole;
            }
            try {
                if (value instanceof Number number) {
                    return new BigDecimal(number.toString()).longValueExact();
                }
                if (value instanceof String digits) {
                    return Long.parseLong(digits.trim());
                }
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("column '" + name + "' is " + type + ", but " + value
                        + " is not a whole number that fits it");
            }
            throw new IllegalArgumentException("column '" + name + "' is " + type + ", but got a "
                    + value.getClass().getName() + " (" + value + ")");
        }
    }
}
