/**
 * Auto-configuration of the projection runtime: the application's {@code @Projection} beans are registered and
 * their workers started late in start-up and stopped early on shutdown; readiness waits for in-memory projections to
 * catch up. {@link dev.kappa.boot.autoconfigure.projections.KappaProjectionsCustomizer} adjusts the runtime.
 */
package dev.kappa.boot.autoconfigure.projections;
