/**
 * The operator console: a page the application serves (at {@code /kappa} by default) that shows the log, every
 * projection, rebuilds and resets as they run, dead letters, the fleet and the Kafka relay, updated live; and, where
 * write access is on and the user holds the operator role, resets, rebuilds, restarts, skips and replays, each
 * confirmed and recorded. Configured by {@link dev.kappa.console.KappaConsoleProperties}; everything else is internal.
 */
package dev.kappa.console;
