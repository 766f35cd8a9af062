package dev.kappa.projections.internal.segment;

import java.util.Objects;

/**
 * Names one segment of one generation of a projection.
 *
 * @param projection the projection
 * @param generation the generation
 * @param segment    the 0-based segment
 */
public record SegmentKey(String projection, int generation, int segment) {

    public SegmentKey {
        Objects.requireNonNull(projection, "projection must not be null");
    }

    @Override
    public String toString() {
        return "projection '" + projection + "' generation " + generation + " segment " + segment;
    }
}
