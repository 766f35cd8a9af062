/**
 * A real PostgreSQL 18 server started from binaries on Maven Central, with no installation: for applications that
 * run without a database server of their own, and for tests.
 *
 * <p>{@link dev.kappa.postgres.embedded.EmbeddedPostgresServer} is the entry point. Test support (a fresh database per
 * test class on one server per JVM) lives in {@code dev.kappa.postgres.embedded.junit}.
 */
package dev.kappa.postgres.embedded;
