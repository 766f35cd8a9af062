/**
 * Internal: the segment worker, which reads the log in batches and applies them atomically with its checkpoint, and
 * the ledgers that keep checkpoints and leases in the database or in memory.
 */
package dev.kappa.projections.internal.worker;
