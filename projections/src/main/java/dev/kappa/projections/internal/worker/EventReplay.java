package dev.kappa.projections.internal.worker;

import java.util.Optional;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.LogRecord;

/**
 * Applies one event again through its projection's handler, in a transaction of its own beside the segment's worker:
 * what a replayed dead letter runs. A passing failure (a lost connection, a deadlock with the worker) is tried again
 * a few times; a failure of the handling is reported.
 *
 * <p>Thread-safe: each call works with its own applier, on the calling thread.
 */
public final class EventReplay {

    private static final int MAX_TRIES = 3;

    private final WorkerConfig config;

    /** @param config the segment's configuration; its ledger makes the replay a transaction */
    public EventReplay(WorkerConfig config) {
        this.config = config;
    }

    /**
     * Applies {@code record} in one transaction that runs {@code before} first and {@code after} last.
     *
     * @return empty if it was applied and committed; the failure of its handling (decoding, handler, staged rows)
     *         otherwise, after a rollback
     * @throws RuntimeException whatever {@code before} or {@code after} throw, or a failure of the database that
     *                          outlasted the tries
     */
    public Optional<Throwable> apply(LogRecord record, Runnable before, Runnable after) {
        for (int attempt = 1; ; attempt++) {
            Optional<Throwable> failure;
            try {
                failure = new BatchApplier(config).replay(record, before, after);
            } catch (RuntimeException e) {
                if (attempt < MAX_TRIES && DatabaseFailures.isTransient(e)) {
                    continue;
                }
                throw e;
            }
            if (failure.isPresent() && attempt < MAX_TRIES && DatabaseFailures.isTransient(failure.get())) {
                continue;
            }
            return failure;
        }
    }
}
