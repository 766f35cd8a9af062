/**
 * The log: an append-only event log in PostgreSQL, the source of truth of a Kappa application.
 *
 * <p>Every record has an {@link dev.kappa.eventstore.LogRecord#offset() offset}: a global position, dense and
 * strictly increasing in commit order, so a reader that has seen offset {@code N} never later finds a committed record
 * below {@code N}. Records belong to streams (one per aggregate, say) with 1-based versions that appends check with
 * an {@link dev.kappa.eventstore.ExpectedVersion}.
 *
 * <p>The store is split by role: {@link dev.kappa.eventstore.EventAppender} writes,
 * {@link dev.kappa.eventstore.EventReader} reads, {@link dev.kappa.eventstore.LogSubscriptions} follows the log as it
 * grows, {@link dev.kappa.eventstore.LogCompactor} compacts it and {@link dev.kappa.eventstore.SnapshotStore} keeps
 * the latest snapshot per stream. {@link dev.kappa.eventstore.EventStore} has them all; build one with
 * {@link dev.kappa.eventstore.EventStore#builder(javax.sql.DataSource)} after creating the tables with
 * {@link dev.kappa.eventstore.KappaSchema#migrate(javax.sql.DataSource)}.
 */
package dev.kappa.eventstore;
