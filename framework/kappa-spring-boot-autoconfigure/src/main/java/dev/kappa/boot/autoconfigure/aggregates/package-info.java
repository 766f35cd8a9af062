/**
 * Auto-configuration of the command gateway for the application's {@code @Aggregate} classes, found in its
 * packages without any wiring, and its {@code kappa.aggregates.*} and {@code kappa.snapshots.*} settings.
 */
package dev.kappa.boot.autoconfigure.aggregates;
