package dev.kappa.projections.internal.model;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.kappa.projections.ProjectionTables;

/**
 * The table names of one generation: {@code <table>_g<generation>} for a blue-green projection's declared tables;
 * unchanged names for any other projection. Immutable and thread-safe.
 *
 * @param projection the projection
 * @param generation the generation
 * @param physical   logical name to physical name, for a blue-green projection; empty otherwise
 */
public record GenerationTables(String projection, int generation, Map<String, String> physical)
        implements ProjectionTables {

    public GenerationTables {
        physical = Map.copyOf(physical);
    }

    /** The names of a blue-green projection's generation. */
    static GenerationTables blueGreen(String projection, int generation, List<String> tables) {
        return new GenerationTables(projection, generation, tables.stream()
                .collect(Collectors.toMap(Function.identity(), table -> physicalName(table, generation))));
    }

    /** The names of a projection without declared tables: unchanged. */
    static GenerationTables unchanged(String projection, int generation) {
        return new GenerationTables(projection, generation, Map.of());
    }

    /** The physical name of a declared table in a generation. */
    public static String physicalName(String table, int generation) {
        return table + "_g" + generation;
    }

    @Override
    public String name(String logicalTable) {
        if (physical.isEmpty()) {
            return logicalTable;
        }
        String name = physical.get(logicalTable);
        if (name == null) {
            throw new IllegalArgumentException("projection '" + projection + "' does not declare the table '"
                    + logicalTable + "'; its tables are " + physical.keySet().stream().sorted().toList()
                    + " (add it to @Projection(tables = ...))");
        }
        return name;
    }
}
