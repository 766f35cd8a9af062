/**
 * Internal: the PostgreSQL implementation of the event store. Nothing here is API; it may change in any release.
 */
package dev.kappa.eventstore.internal;
