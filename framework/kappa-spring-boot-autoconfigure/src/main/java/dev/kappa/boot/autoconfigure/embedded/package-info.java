/**
 * Auto-configuration of a durable embedded PostgreSQL 18 and a data source on it, when kappa-embedded-postgres is
 * on the class path and the application names no database; its settings are {@code kappa.embedded-postgres.*}.
 */
package dev.kappa.boot.autoconfigure.embedded;
