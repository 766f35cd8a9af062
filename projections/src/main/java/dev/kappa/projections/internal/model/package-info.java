/**
 * Internal: projection classes read into definitions, and the lookup of a stored event type's handler.
 */
package dev.kappa.projections.internal.model;
