/**
 * Internal: checkpoints as readers see them, and waits on them. The {@link
 * dev.kappa.projections.internal.checkpoint.CheckpointBoard} keeps what this runtime knows of each projection's
 * checkpoints, moved by its workers' commits and by other runtimes' commits heard on the database's channel; the
 * {@link dev.kappa.projections.internal.checkpoint.CheckpointWaiter} answers read-your-writes waits
 * ({@code awaitCheckpoint}) and other waits woken by commits, reading a
 * {@link dev.kappa.projections.internal.checkpoint.CheckpointSource} when the board cannot be trusted. A segment's
 * own checkpoint, as it commits it, lives with its ledger in {@code internal.segment}.
 */
package dev.kappa.projections.internal.checkpoint;
