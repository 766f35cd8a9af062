package dev.kappa.projections;

import java.util.Objects;

/**
 * The outcome of {@link CheckpointWaits#awaitCheckpoint}: whether the projection applied the offset in time.
 *
 * @param projection the projection waited for
 * @param offset     the offset waited for
 * @param checkpoint the projection's checkpoint when the wait ended: at or above {@code offset} if it was reached
 */
public record CheckpointWait(String projection, long offset, long checkpoint) {

    public CheckpointWait {
        Objects.requireNonNull(projection, "projection must not be null");
    }

    /** Whether the projection has applied {@code offset}: its read model shows that event and every earlier one. */
    public boolean reached() {
        return checkpoint >= offset;
    }
}
