package dev.kappa.projections;

import java.util.Objects;

/**
 * What a {@link ResetHandler} is asked to do.
 *
 * @param projection the projection being reset
 * @param toOffset   the checkpoint it is reset to: the read model must be left as it was after this offset (empty
 *                   for 0); the replay then applies every later event again. Above 0 only for a handler that declares
 *                   {@link ResetHandler#toOffset()}
 * @param tables     the physical names of the tables being reset
 */
public record ResetContext(String projection, long toOffset, ProjectionTables tables) {

    public ResetContext {
        Objects.requireNonNull(projection, "projection must not be null");
        Objects.requireNonNull(tables, "tables must not be null");
        if (toOffset < 0) {
            throw new IllegalArgumentException("reset offset must be 0 or more but was " + toOffset);
        }
    }

    /** The physical name of one of the projection's tables: see {@link ProjectionTables}. */
    public String table(String logicalTable) {
        return tables.name(logicalTable);
    }
}
