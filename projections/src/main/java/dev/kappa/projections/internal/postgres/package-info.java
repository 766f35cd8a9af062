/**
 * Internal: the segments' and members' tables in PostgreSQL (leases and checkpoints, instances working on a
 * generation) and the payloads of the channel workers notify on commit. Generations live in
 * {@code internal.rebuild}, dead letters in {@code internal.deadletter}.
 */
package dev.kappa.projections.internal.postgres;
