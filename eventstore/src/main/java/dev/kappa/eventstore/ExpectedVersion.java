package dev.kappa.eventstore;

/**
 * The version a stream must be at for an append to go through: the condition of optimistic concurrency.
 *
 * <p>A stream's version is the number of events ever appended to it (0 for a stream that does not exist).
 */
public sealed interface ExpectedVersion permits AnyVersion, NoStream, ExactVersion {

    /** Appends whatever the stream's version. */
    static ExpectedVersion any() {
        return AnyVersion.INSTANCE;
    }

    /** Appends only if the stream has no events yet: the append creates it. */
    static ExpectedVersion noStream() {
        return NoStream.INSTANCE;
    }

    /**
     * Appends only if the stream is exactly at this version, typically the version an aggregate was loaded at.
     * {@code exactly(0)} is the same as {@link #noStream()}.
     *
     * @throws IllegalArgumentException if {@code version} is negative
     */
    static ExpectedVersion exactly(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("expected version must not be negative but was " + version
                    + "; use ExpectedVersion.noStream() for a new stream or ExpectedVersion.any() for no check");
        }
        return version == 0 ? NoStream.INSTANCE : new ExactVersion(version);
    }

    /** Whether a stream at {@code actualVersion} meets this expectation. */
    boolean isMetBy(long actualVersion);
}
