/**
 * Spring Boot auto-configuration of Kappa, one class per concern: the embedded PostgreSQL, the event store and its
 * schema, aggregates and the command gateway, projections, metrics, the actuator endpoint and the web support. Every
 * bean backs off when the application defines its own.
 */
package dev.kappa.boot.autoconfigure;
