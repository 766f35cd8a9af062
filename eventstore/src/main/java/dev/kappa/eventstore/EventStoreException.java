package dev.kappa.eventstore;

/**
 * A failure of the event store: the database failed, or stored data could not be read back. The message says what
 * was attempted. An append that fails with this exception wrote nothing; one that may have been written fails with
 * its subclass {@link AppendOutcomeUnknownException}.
 */
public class EventStoreException extends RuntimeException {

    public EventStoreException(String message) {
        super(message);
    }

    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
