/**
 * Micrometer metrics of the event store, the command gateway and the projections, configured when the application
 * has a meter registry.
 */
package dev.kappa.boot.autoconfigure.metrics;
