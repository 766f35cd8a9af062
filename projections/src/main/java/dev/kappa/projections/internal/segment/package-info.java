/**
 * Internal: a segment of a projection's generation, as it is kept — its checkpoint, its failure and an operator's
 * decision to skip it, and its lease's columns. {@code SegmentLedger} is what a worker keeps them in: the segments'
 * table in PostgreSQL for a database projection ({@code DatabaseLedger}, over {@code PostgresSegments}), memory for an
 * in-memory one ({@code MemoryLedger}). Also the notifications runtimes send each other when a segment's checkpoint
 * or state changes. Elsewhere: the lease's statements and the members that share segments in {@code internal.lease},
 * waits for a checkpoint in {@code internal.checkpoint}, generations in {@code internal.rebuild}, dead letters in
 * {@code internal.deadletter}.
 */
package dev.kappa.projections.internal.segment;
