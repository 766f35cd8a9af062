package dev.kappa.eventstore;

/**
 * Where an append landed.
 *
 * @param streamId      the stream appended to
 * @param fromOffset    the offset of the first event appended
 * @param toOffset      the offset of the last event appended
 * @param streamVersion the stream's version after the append (the version of its last event)
 */
public record AppendResult(String streamId, long fromOffset, long toOffset, long streamVersion) {

    public AppendResult {
        if (fromOffset < 1 || toOffset < fromOffset) {
            throw new IllegalArgumentException("offsets must satisfy 1 <= fromOffset <= toOffset but were "
                    + fromOffset + " and " + toOffset);
        }
        if (streamVersion < toOffset - fromOffset + 1) {
            throw new IllegalArgumentException("stream version " + streamVersion + " is lower than the "
                    + (toOffset - fromOffset + 1) + " events appended");
        }
    }

    /** How many events were appended. */
    public int eventCount() {
        return (int) (toOffset - fromOffset + 1);
    }
}
