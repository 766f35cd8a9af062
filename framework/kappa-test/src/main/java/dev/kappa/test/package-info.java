/**
 * Test support for Kappa applications.
 *
 * <p>{@link dev.kappa.test.AggregateFixture} tests an aggregate's command handlers in given-when-then form, without a
 * database: given past events, when a command, expect the events it decides, the exception it throws or the state it
 * leaves.
 *
 * <p>For tests on a real PostgreSQL, depending on kappa-test is enough: it brings kappa-embedded-postgres with JUnit
 * Jupiter and HikariCP, and {@link dev.kappa.postgres.embedded.junit.TestDatabaseExtension}, used with
 * {@code @ExtendWith}, gives each test class a fresh {@link dev.kappa.postgres.embedded.junit.TestDatabase} on one
 * embedded server per JVM. Those classes live in kappa-embedded-postgres, not here, because the event store's own
 * tests use them.
 */
package dev.kappa.test;
