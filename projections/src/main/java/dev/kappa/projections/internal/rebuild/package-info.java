/**
 * Internal: generations, the unit of a rebuild. A projection's read model is built by a generation (its code version,
 * segment count and, for a blue-green projection, its own tables); {@link
 * dev.kappa.projections.internal.rebuild.GenerationControl} creates the generations the registered code needs,
 * builds a new one beside the one readers use, switches readers to it in one transaction once it has caught up,
 * resets one in place and drops retired ones; {@link dev.kappa.projections.internal.rebuild.PostgresGenerations}
 * keeps them in Kappa's tables.
 */
package dev.kappa.projections.internal.rebuild;
