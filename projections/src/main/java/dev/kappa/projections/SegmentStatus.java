package dev.kappa.projections;

import java.util.Objects;
import java.util.Optional;

/**
 * One segment of a projection's generation, as seen by the runtime asked.
 *
 * @param segment   the 0-based segment number
 * @param state     what it is doing
 * @param checkpoint the last offset it applied (committed, for a database projection)
 * @param head      the log's head
 * @param owner     the instance id of the runtime processing it, or {@code null} when nobody holds its lease
 * @param progress  checkpoint, head, rate and time left
 * @param failure   why it stopped, when {@link ProjectionState#FAILED}
 */
public record SegmentStatus(int segment, ProjectionState state, long checkpoint, long head, String owner,
                            Progress progress, Optional<ProjectionFailure> failure) {

    public SegmentStatus {
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(progress, "progress must not be null");
        Objects.requireNonNull(failure, "failure must not be null (use Optional.empty())");
    }

    /** How many offsets it is behind the head. */
    public long lag() {
        return Math.max(0, head - checkpoint);
    }
}
