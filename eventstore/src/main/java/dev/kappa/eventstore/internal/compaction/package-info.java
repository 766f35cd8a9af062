/**
 * Internal: incremental compaction of the log in PostgreSQL, which deletes records superseded by a later record
 * with the same compaction key. Users need none of it; they compact through {@link dev.kappa.eventstore.LogCompactor}.
 */
package dev.kappa.eventstore.internal.compaction;
