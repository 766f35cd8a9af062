/**
 * Internal: the projection runtime itself — registration and lifecycle
 * ({@link dev.kappa.projections.internal.runtime.PostgresProjectionRuntime},
 * {@code ProjectionRegistry}), its roles ({@code RuntimeControl}: reset, rebuild, restart, skip, replay;
 * {@code RuntimeMonitoring}: status, caught up, dead letters), its threads ({@code Workers} start a generation's
 * workers, {@code RuntimeEvents} hears their reports and other runtimes' notifications, {@code Maintenance} is the
 * control thread), and what differs between database and in-memory projections: one {@code ProjectionKind}, two
 * implementations ({@code DatabaseProjections}, {@code InMemoryProjections}).
 *
 * <p>The concepts it drives live in their own packages: generations and rebuilds in {@code internal.rebuild}, dead
 * letters in {@code internal.deadletter}, checkpoint waits in {@code internal.checkpoint}, segment workers in
 * {@code internal.worker}.
 */
package dev.kappa.projections.internal.runtime;
