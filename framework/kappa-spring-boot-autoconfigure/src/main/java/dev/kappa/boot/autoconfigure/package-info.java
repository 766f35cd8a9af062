/**
 * Spring Boot auto-configuration of Kappa, one class per concern: the embedded PostgreSQL, the event store and its
 * schema, aggregates and the command gateway, projections, metrics and the actuator endpoint. Every bean backs off
 * when the application defines its own.
 */
package dev.kappa.boot.autoconfigure;
