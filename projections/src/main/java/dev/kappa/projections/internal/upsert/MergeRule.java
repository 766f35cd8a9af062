package dev.kappa.projections.internal.upsert;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * How a staged value combines with another staged value of the same row and with the value already in the table.
 * Every rule is associative, which is what lets a batch merge its rows in memory before writing them once.
 */
public enum MergeRule {

    /** The latest value wins. */
    SET {
        @Override
        Object merge(Object current, Object value, String column) {
            return value;
        }

        @Override
        String assignment(String column) {
            return column + " = COALESCE(EXCLUDED." + column + ", t." + column + ")";
        }
    },

    /** Values are summed. */
    ADD {
        @Override
        Object merge(Object current, Object value, String column) {
            if (!(value instanceof Number added)) {
                throw new IllegalArgumentException("column '" + column + "' adds numbers, but got a "
                        + value.getClass().getName() + " (" + value + ")");
            }
            if (current == null) {
                return value;
            }
            Number sum = (Number) current;
            if (sum instanceof Long a && added instanceof Long b) {
                return Math.addExact(a, b);
            }
            if (sum instanceof Double || added instanceof Double) {
                return sum.doubleValue() + added.doubleValue();
            }
            return decimal(sum).add(decimal(added));
        }

        @Override
        String assignment(String column) {
            return column + " = COALESCE(t." + column + ", 0) + COALESCE(EXCLUDED." + column + ", 0)";
        }
    },

    /** The greatest value wins. */
    MAX {
        @Override
        Object merge(Object current, Object value, String column) {
            return current == null || compare(value, current, column) > 0 ? value : current;
        }

        @Override
        String assignment(String column) {
            return column + " = GREATEST(t." + column + ", EXCLUDED." + column + ")";
        }
    },

    /** The least value wins. */
    MIN {
        @Override
        Object merge(Object current, Object value, String column) {
            return current == null || compare(value, current, column) < 0 ? value : current;
        }

        @Override
        String assignment(String column) {
            return column + " = LEAST(t." + column + ", EXCLUDED." + column + ")";
        }
    };

    /** Merges a staged value (already {@link #normalize normalized}, never null) into the row's current one. */
    abstract Object merge(Object current, Object value, String column);

    /** The {@code ON CONFLICT DO UPDATE SET} assignment of a column; the table is aliased {@code t}. */
    abstract String assignment(String column);

    /** Widens integral types to {@code Long} and {@code Float} to {@code Double}, so that merges compare like types. */
    static Object normalize(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        return value;
    }

    private static BigDecimal decimal(Number number) {
        return number instanceof BigDecimal decimal ? decimal : new BigDecimal(number.toString());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object value, Object current, String column) {
        if (value instanceof Number a && current instanceof Number b && a.getClass() != b.getClass()) {
            return decimal(a).compareTo(decimal(b));
        }
        if (!(value instanceof Comparable comparable) || value.getClass() != current.getClass()) {
            throw new IllegalArgumentException("column '" + column + "' keeps the greatest or least value, but "
                    + value.getClass().getName() + " (" + value + ") cannot be compared with "
                    + current.getClass().getName() + " (" + current + ")");
        }
        return comparable.compareTo(current);
    }
}
