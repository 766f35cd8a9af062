/**
 * Internal: the runtime that runs projections' generations, switches readers to rebuilt ones, and answers status and
 * checkpoint waits.
 */
package dev.kappa.projections.internal.runtime;
