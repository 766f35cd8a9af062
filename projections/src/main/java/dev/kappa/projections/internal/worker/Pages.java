package dev.kappa.projections.internal.worker;

/**
 * Hands a batch the next page of the log while it is being applied.
 */
@FunctionalInterface
interface Pages {

    /**
     * The page after {@code offset}; empty at the head.
     *
     * @throws RuntimeException if the log cannot be read: the batch fails and is tried again
     */
    Page after(long offset);
}
