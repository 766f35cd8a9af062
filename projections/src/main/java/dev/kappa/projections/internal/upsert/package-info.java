/**
 * Internal: rows staged by {@code Upserts} during a worker batch, merged per key, and written with one statement per
 * table at the end of the batch.
 */
package dev.kappa.projections.internal.upsert;
