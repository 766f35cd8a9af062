/**
 * Test support: one embedded PostgreSQL per test JVM, shared by all test classes, and a fresh database for each test
 * class.
 *
 * <p>Use {@link dev.kappa.postgres.embedded.junit.TestDatabaseExtension} with JUnit 5, or
 * {@link dev.kappa.postgres.embedded.junit.TestDatabase#create()} anywhere else. Needs JUnit Jupiter and HikariCP on the
 * test class path.
 */
package dev.kappa.postgres.embedded.junit;
