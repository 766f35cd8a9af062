package dev.kappa.projections;

/**
 * What a projection does with an event whose handler still fails after the retries.
 */
public enum FailureMode {

    /**
     * Stop the segment at the event, with status {@link ProjectionState#FAILED}, until it is restarted, reset, or an
     * operator skips the event ({@code ProjectionRuntime.skip}).
     */
    STOP,

    /** Record the event in the dead-letter table, in the transaction that moves the checkpoint past it, and go on. */
    DEAD_LETTER
}
