/**
 * Internal: worker metrics, published to Micrometer only when a registry is given.
 */
package dev.kappa.projections.internal.metrics;
