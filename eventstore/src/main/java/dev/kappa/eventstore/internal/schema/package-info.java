/**
 * Internal: the Flyway migrations that create and upgrade Kappa's tables, with a history table of their own. Users
 * need none of it; the Spring Boot starter runs them at start-up.
 */
package dev.kappa.eventstore.internal.schema;
