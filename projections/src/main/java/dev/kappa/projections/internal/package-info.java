/**
 * Internal: the implementation of the projection runtime. Nothing here is API; it may change in any release.
 */
package dev.kappa.projections.internal;
