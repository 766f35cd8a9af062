package dev.kappa.eventstore;

/**
 * The connection failed while the append was being committed (or the caller was interrupted while waiting for the
 * commit), so it may or may not have been written. Read the stream (or retry with the same expected version, which
 * fails with a {@link ConcurrencyException} if the first attempt did land) before acting on it.
 */
public class AppendOutcomeUnknownException extends EventStoreException {

    public AppendOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
