package dev.kappa.projections;

/**
 * What a projection, or one segment of it, is doing.
 */
public enum ProjectionState {

    /** Caught up with the log and following it as it grows. */
    RUNNING,

    /** Working through the log towards its head, after a start. */
    CATCHING_UP,

    /** Replaying the log after a reset, or building a new generation beside the one readers use. */
    REBUILDING,

    /** Stopped at an event whose handler kept failing; see {@link SegmentStatus#failure()}. */
    FAILED,

    /**
     * The database does not answer (it is down, restarting or unreachable): the worker keeps trying and resumes from
     * its checkpoint by itself when it answers again; see {@link SegmentStatus#outage()}.
     */
    WAITING_FOR_DATABASE,

    /** Not processed by anyone: the runtime is not started or closed, or the projection was superseded. */
    STOPPED
}
