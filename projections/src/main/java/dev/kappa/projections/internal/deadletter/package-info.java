/**
 * Internal: dead letters, the events a projection moved past without applying them. A
 * {@link dev.kappa.projections.internal.deadletter.SkipDecision} (an operator's skip, or a dead-letter projection's
 * failure mode) tells a worker to park the event it failed on; {@link
 * dev.kappa.projections.internal.deadletter.PostgresDeadLetters} keeps the letters, and {@link
 * dev.kappa.projections.internal.deadletter.DeadLetterReplay} applies one again once its cause is fixed.
 */
package dev.kappa.projections.internal.deadletter;
