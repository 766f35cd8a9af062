/**
 * Internal: the segments' table in PostgreSQL (checkpoints, failures and skip decisions) and the notifications
 * runtimes send each other. Generations live in {@code internal.rebuild}, dead
 * letters in {@code internal.deadletter}, the leases kept in the segments' rows and the members that share them in
 * {@code internal.lease}.
 */
package dev.kappa.projections.internal.postgres;
