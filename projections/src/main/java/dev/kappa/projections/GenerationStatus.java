package dev.kappa.projections;

import java.util.List;
import java.util.Objects;

/**
 * One build of a projection's read model: the generation readers use, or one being built beside it.
 *
 * @param generation the generation number: 1 for the first build, one more for each rebuild
 * @param version    the projection code version it is built with
 * @param state      the generation's overall state (the most urgent of its segments')
 * @param progress   the slowest segment's progress
 * @param segments   its segments, by number
 */
public record GenerationStatus(int generation, int version, ProjectionState state, Progress progress,
                               List<SegmentStatus> segments) {

    public GenerationStatus {
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(progress, "progress must not be null");
        segments = List.copyOf(segments);
    }

    /** The lowest checkpoint of its segments: every event up to it has been applied. */
    public long checkpoint() {
        return progress.offset();
    }
}
