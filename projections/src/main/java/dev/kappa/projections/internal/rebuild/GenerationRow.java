package dev.kappa.projections.internal.rebuild;

import java.util.List;
import java.util.Objects;

/**
 * A generation of a projection, as stored.
 *
 * @param generation   its number
 * @param version      the code version it is built with
 * @param segmentCount its segments
 * @param state        building, active or retired
 * @param tables       the logical tables of a blue-green projection; empty otherwise
 */
public record GenerationRow(int generation, int version, int segmentCount, State state, List<String> tables) {

    public GenerationRow {
        Objects.requireNonNull(state, "state must not be null");
        tables = List.copyOf(tables);
    }

    /** Where a generation is in its life. */
    public enum State {
        /** Being built beside the active one; readers do not see it. */
        BUILDING,
        /** Serving readers. */
        ACTIVE,
        /** Replaced; its tables are to be dropped. */
        RETIRED
    }
}
