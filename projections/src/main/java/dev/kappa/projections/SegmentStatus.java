package dev.kappa.projections;

import java.util.Objects;
import java.util.Optional;

import dev.kappa.eventstore.StoreOutage;

/**
 * One segment of a projection's generation, as seen by the runtime asked.
 *
 * @param segment   the 0-based segment number
 * @param state     what it is doing
 * @param checkpoint the last offset it applied (committed, for a database projection); for a projection that reads a
 *                  topic, its partition's position: the next Kafka offset to read
 * @param head      the log's head; for a projection that reads a topic, its partition's end offset
 * @param owner     the instance id of the runtime processing it, or {@code null} when nobody holds its lease
 * @param progress  checkpoint, head, rate and time left
 * @param failure   why it stopped, when {@link ProjectionState#FAILED}
 * @param outage    since when and why the database does not answer its worker, when
 *                  {@link ProjectionState#WAITING_FOR_DATABASE}
 */
public record SegmentStatus(int segment, ProjectionState state, long checkpoint, long head, String owner,
                            Progress progress, Optional<ProjectionFailure> failure, Optional<StoreOutage> outage) {

    public SegmentStatus {
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(progress, "progress must not be null");
        Objects.requireNonNull(failure, "failure must not be null (use Optional.empty())");
        Objects.requireNonNull(outage, "outage must not be null (use Optional.empty())");
    }

    /** A segment the database answers. */
    public SegmentStatus(int segment, ProjectionState state, long checkpoint, long head, String owner,
                         Progress progress, Optional<ProjectionFailure> failure) {
        this(segment, state, checkpoint, head, owner, progress, failure, Optional.empty());
    }

    /** How many offsets it is behind the head. */
    public long lag() {
        return Math.max(0, head - checkpoint);
    }
}
