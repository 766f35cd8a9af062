/**
 * Projections: read models derived from the log, kept up to date by workers that apply events and move their
 * checkpoint in one transaction, so that a database read model reflects every event exactly once whatever crashes.
 *
 * <p>Annotate a class {@link dev.kappa.projections.Projection} with {@link dev.kappa.projections.EventHandler}
 * methods (and a {@link dev.kappa.projections.ResetHandler}), register it with a
 * {@link dev.kappa.projections.ProjectionRuntime} and start the runtime, after creating the bookkeeping tables with
 * {@link dev.kappa.projections.ProjectionSchema#migrate(javax.sql.DataSource)}. Handlers write with
 * {@code JdbcTemplate} (joining the worker's transaction) or stage rows in an {@link dev.kappa.projections.Upserts},
 * written in bulk at the end of each batch.
 *
 * <p>A projection may split the log into segments, processed in parallel and shared among the application's
 * instances; it may be reset in place, or rebuilt beside the version readers use and switched in one step
 * (blue-green); a failing event stops it where it failed, or goes to a dead-letter table.
 */
package dev.kappa.projections;
