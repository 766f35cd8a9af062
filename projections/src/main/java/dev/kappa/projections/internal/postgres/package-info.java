/**
 * Internal: the projections' tables in PostgreSQL (generations, segments with their checkpoints, failures and skip
 * decisions, dead letters), their migrations, and the notifications runtimes send each other. The leases kept in the
 * segments' rows, and the generations' members that share them, are in {@code internal.lease}.
 */
package dev.kappa.projections.internal.postgres;
