/**
 * Internal: the projections' tables in PostgreSQL (generations, segments with their leases and checkpoints, dead
 * letters, instances), their migrations, and the listener for other runtimes' commits.
 */
package dev.kappa.projections.internal.postgres;
