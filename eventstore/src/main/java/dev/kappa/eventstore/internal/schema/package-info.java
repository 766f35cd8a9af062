/**
 * Internal: running the Flyway migrations shipped in Kappa's jars, with a history table of their own. Users need none
 * of it; they migrate through {@link dev.kappa.eventstore.KappaSchema}, or let the Spring Boot starter do it at start-up.
 */
package dev.kappa.eventstore.internal.schema;
