/**
 * Internal: reading the log by offset or by stream and version, with plain indexed queries. Users need none of it;
 * they read through {@link dev.kappa.eventstore.EventReader}.
 */
package dev.kappa.eventstore.internal.read;
