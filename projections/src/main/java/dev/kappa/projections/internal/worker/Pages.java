package dev.kappa.projections.internal.worker;

import dev.kappa.projections.source.SourcePage;

/**
 * Hands a batch the next page of its source's partition while it is being applied.
 */
@FunctionalInterface
interface Pages {

    /**
     * The page after {@code position}; empty at the head.
     *
     * @throws RuntimeException if the source cannot be read: the batch fails and is tried again
     */
    SourcePage after(long position);
}
