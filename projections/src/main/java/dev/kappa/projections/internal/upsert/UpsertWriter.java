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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Writes staged rows with one statement per kind: a {@code DELETE … USING unnest(…)} for the deleted keys, then an
 * {@code INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE} for the upserted rows. Each column travels as one text
 * array cast to the column's type, which PostgreSQL parses as it would a literal: one round trip and one plan per
 * table and batch, whatever the number of rows.
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

    /** Writes {@code rows} into {@code physicalTable} on {@code connection}, in its transaction. */
    void write(Connection connection, StagedRows rows, String physicalTable) throws SQLException {
        Statements sql = statements(connection, rows.spec(), physicalTable);
        UpsertSpec spec = rows.spec();
        List<StagedRow> sorted = rows.sorted();
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
            execute(connection, sql.delete(), keyArrays(spec, deletes));
        }
        if (!upserts.isEmpty()) {
            List<String[]> arrays = keyArrays(spec, upserts);
            for (int column = 0; column < spec.valueColumns().size(); column++) {
                String[] values = new String[upserts.size()];
                boolean add = spec.rule(column) == MergeRule.ADD;
                for (int i = 0; i < values.length; i++) {
                    Object value = upserts.get(i).value(column);
                    values[i] = value == null ? (add ? "0" : null) : text(value);
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
        String keyList = String.join(", ", keys);
        String keyArrays = keys.stream().map(column -> array(types.get(column))).collect(Collectors.joining(", "));
        String delete = "DELETE FROM " + table + " t USING unnest(" + keyArrays + ") AS d(" + keyList + ") WHERE "
                + keys.stream().map(column -> "t." + column + " = d." + column).collect(Collectors.joining(" AND "));
        String allArrays = columns.stream().map(column -> array(types.get(column))).collect(Collectors.joining(", "));
        String conflict = spec.valueColumns().isEmpty() ? "DO NOTHING"
                : "DO UPDATE SET " + IntStream.range(0, spec.valueColumns().size())
                        .mapToObj(i -> spec.rule(i).assignment(spec.valueColumns().get(i)))
                        .collect(Collectors.joining(", "));
        String upsert = "INSERT INTO " + table + " AS t (" + String.join(", ", columns) + ") SELECT * FROM unnest("
                + allArrays + ") ON CONFLICT (" + keyList + ") " + conflict;
        return new Statements(delete, upsert);
    }

    /** A text array parameter cast to an array of the column's type (a type name read from the catalog). */
    private static String array(String type) {
        return "?::text[]::" + type + "[]";
    }

    private static List<String[]> keyArrays(UpsertSpec spec, List<StagedRow> rows) {
        int keyCount = spec.keyColumns().size();
        List<String[]> arrays = new ArrayList<>(keyCount + spec.valueColumns().size());
        for (int k = 0; k < keyCount; k++) {
            String[] values = new String[rows.size()];
            for (int i = 0; i < values.length; i++) {
                Object key = rows.get(i).key();
                values[i] = text(keyCount == 1 ? key : ((List<?>) key).get(k));
            }
            arrays.add(values);
        }
        return arrays;
    }

    private static void execute(Connection connection, String sql, List<String[]> arrays) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            List<Array> created = new ArrayList<>(arrays.size());
            for (int i = 0; i < arrays.size(); i++) {
                Array array = connection.createArrayOf("text", arrays.get(i));
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

    private record Statements(String delete, String upsert) {
    }
}
