/**
 * Internal: the segment worker, which processes one segment of a projection on a thread of its own, and what it is
 * made of. {@link dev.kappa.projections.internal.worker.SegmentWorker} is the loop; each of its jobs has a class:
 * <ul>
 * <li>holding the segment's lease: {@code SegmentLease} (the statements are in {@code internal.lease});</li>
 * <li>where it stands (checkpoint, head, caught up, rate): {@code SegmentCursor}, {@code ProgressMeter};</li>
 * <li>applying a batch atomically with its checkpoint: {@code BatchApplier}, whose {@code Outcome} decides what comes
 * next in {@code BatchOutcomes};</li>
 * <li>a failing event: its retries, stopping (FAILED) or parking it (dead letter, skip) in {@code FailingEvent};
 * narrowing a failed batch down to the event at fault, and isolating it, in {@code FailureHunt};</li>
 * <li>waiting when idle (the source's notifications, nudges from the runtime, the lease's timing): {@code IdleWait};
 * </li>
 * <li>backing off while the database does not answer: {@code OutageBackoff}, with the event store's
 * {@code DatabaseFailures} telling a passing failure from an event's;</li>
 * <li>replaying a dead letter beside the worker: {@code EventReplay}.</li>
 * </ul>
 * The segment's checkpoint, lease and failure are kept by its ledger ({@code internal.segment}). The worker reads its
 * records from a {@link dev.kappa.projections.source.SourcePartition}; it does not know that
 * today's source is the PostgreSQL log ({@code internal.log}).
 */
package dev.kappa.projections.internal.worker;
