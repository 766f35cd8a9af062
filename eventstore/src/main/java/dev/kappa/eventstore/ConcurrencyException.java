package dev.kappa.eventstore;

/**
 * An append's expected version did not hold: someone else appended to the stream since it was read. Nothing was
 * written. Reload the stream and decide again.
 */
public class ConcurrencyException extends EventStoreException {

    private final String streamId;
    private final ExpectedVersion expectedVersion;
    private final long actualVersion;

    public ConcurrencyException(String streamId, ExpectedVersion expectedVersion, long actualVersion) {
        super("stream '" + streamId + "' was expected at " + expectedVersion + " but is at version " + actualVersion
                + "; nothing was appended: reload the stream and retry");
        this.streamId = streamId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /** The stream whose version did not match. */
    public String streamId() {
        return streamId;
    }

    /** What the append expected. */
    public ExpectedVersion expectedVersion() {
        return expectedVersion;
    }

    /** The version the stream was actually at. */
    public long actualVersion() {
        return actualVersion;
    }
}
