/**
 * Internal: the snapshot store in PostgreSQL, one snapshot per stream. Users need none of it; they keep snapshots
 * through {@link dev.kappa.eventstore.SnapshotStore}.
 */
package dev.kappa.eventstore.internal.snapshot;
