package dev.kappa.projections;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.kappa.eventstore.StoreOutage;

/**
 * A projection's state, as seen by the runtime asked: an immutable snapshot.
 *
 * @param name       the projection's name
 * @param inMemory   whether its read model lives in memory (and so is this runtime's own)
 * @param state      the most urgent state among its segments: FAILED, then WAITING_FOR_DATABASE, STOPPED,
 *                   REBUILDING, CATCHING_UP, RUNNING
 * @param current    the generation readers use; empty before a blue-green projection's first build has caught up,
 *                   or when this runtime's code is older than the database's (superseded)
 * @param rebuild    a generation being built beside the current one, with its progress
 * @param caughtUp   whether every segment of the generation readers use has reached the head since its worker
 *                   started or it was reset: what an application waits for before it reports ready
 * @param note       a word on an unusual state (superseded by a newer version, say), or empty
 * @param outage     while the database does not answer: since when and why (the earliest among the segments, or
 *                   the status's own failed read). The status then says what this runtime knows without it.
 */
public record ProjectionStatus(String name, boolean inMemory, ProjectionState state,
                               Optional<GenerationStatus> current, Optional<GenerationStatus> rebuild,
                               boolean caughtUp, String note, Optional<StoreOutage> outage) {

    public ProjectionStatus {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(current, "current must not be null (use Optional.empty())");
        Objects.requireNonNull(rebuild, "rebuild must not be null (use Optional.empty())");
        Objects.requireNonNull(outage, "outage must not be null (use Optional.empty())");
        note = note == null ? "" : note;
    }

    /** A projection whose status the database answered. */
    public ProjectionStatus(String name, boolean inMemory, ProjectionState state, Optional<GenerationStatus> current,
                            Optional<GenerationStatus> rebuild, boolean caughtUp, String note) {
        this(name, inMemory, state, current, rebuild, caughtUp, note, Optional.empty());
    }

    /** The checkpoint readers see: the lowest segment checkpoint of the current generation, 0 if there is none. */
    public long checkpoint() {
        return current.map(GenerationStatus::checkpoint).orElse(0L);
    }

    /** The current generation's lag behind the head, 0 if there is none. */
    public long lag() {
        return current.map(generation -> generation.progress().lag()).orElse(0L);
    }

    /** The current generation's segments; empty if there is none. */
    public List<SegmentStatus> segments() {
        return current.map(GenerationStatus::segments).orElse(List.of());
    }
}
