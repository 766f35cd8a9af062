/**
 * PostgreSQL {@code LISTEN/NOTIFY} that survives the database going away: a
 * {@link dev.kappa.eventstore.notify.NotificationListener} listens on named channels over a connection of its own,
 * hands each notification to a {@link dev.kappa.eventstore.notify.NotificationHandler}, reconnects by itself, and
 * says when notifications may have been missed.
 *
 * <p>The event store wakes its followers with it, and the projections hear each other's commits with it; an
 * application may use it for channels of its own.
 */
package dev.kappa.eventstore.notify;
