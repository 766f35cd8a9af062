/**
 * Test support for Kappa applications.
 *
 * <p>{@link dev.kappa.test.AggregateFixture} tests an aggregate's command handlers in given-when-then form, without a
 * database: given past events, when a command, expect the events it decides, the exception it throws or the state it
 * leaves.
 *
 * <p>{@link dev.kappa.test.ProjectionFixture} tests a projection with the real projection runtime on an embedded
 * PostgreSQL: given events, appended to a log of its own, then the rows the projection wrote or the state of an
 * in-memory one. {@link dev.kappa.test.ProcessFixture} tests a reactor the same way, recording the commands it sends
 * ({@link dev.kappa.test.SentCommands}) through a gateway that answers as the test says.
 *
 * <p>For tests on a real PostgreSQL, depending on kappa-test is enough: it brings kappa-embedded-postgres with JUnit
 * Jupiter and HikariCP, and {@link dev.kappa.postgres.embedded.junit.TestDatabaseExtension}, used with
 * {@code @ExtendWith}, gives each test class a fresh {@link dev.kappa.postgres.embedded.junit.TestDatabase} on one
 * embedded server per JVM. Those classes live in kappa-embedded-postgres, not here, because the event store's own
 * tests use them.
 */
package dev.kappa.test;
