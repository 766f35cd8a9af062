package dev.kappa.projections;

/**
 * The physical names of a projection's tables in the generation a worker builds. A blue-green projection writes
 * {@code <table>_g<generation>}; any other projection's names are returned unchanged, so handlers can always write
 * through this.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface ProjectionTables {

    /** The generation these names belong to: 1 for the first build of a projection, one more for each rebuild. */
    int generation();

    /**
     * The physical name of a logical table.
     *
     * @throws IllegalArgumentException if the projection does not declare that table
     */
    String name(String logicalTable);
}
