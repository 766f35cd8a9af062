package dev.kappa.projections.internal.worker;

import dev.kappa.eventstore.LogRecord;

/**
 * What became of a batch.
 */
sealed interface Outcome {

    /**
     * Committed.
     *
     * @param checkpoint  the new checkpoint
     * @param handled     how many events a handler applied
     * @param reachedHead whether the batch went up to the head of its source, as far as its reads could tell
     * @param parked      whether it parked the event a decision to skip named
     */
    record Applied(long checkpoint, int handled, boolean reachedHead, boolean parked) implements Outcome {
    }

    /**
     * A handler (or the decoding, or the handler lookup) failed on an event; the batch did not take effect, except,
     * in memory, the events before it.
     *
     * @param record         the event
     * @param position       its position in the partition ({@code -1} for a replayed dead letter)
     * @param cause          the failure
     * @param appliedThrough the checkpoint after the failure
     */
    record EventFailed(LogRecord record, long position, Throwable cause, long appliedThrough) implements Outcome {
    }

    /**
     * Something failed that no single event can be blamed for (a staged write, the commit); nothing took effect.
     *
     * @param cause   the failure
     * @param records how many records the batch's reads had returned
     * @param through the position its reads got through
     */
    record BatchFailed(Throwable cause, int records, long through) implements Outcome {
    }

    /** The lease was lost or the checkpoint moved meanwhile (a reset): nothing took effect. */
    record Fenced() implements Outcome {
    }

    /** The database connection failed or a passing conflict occurred: nothing took effect; try again. */
    record Interrupted(Throwable cause) implements Outcome {
    }
}
