package dev.kappa.eventstore;

/** The stream must be at exactly this version. */
record ExactVersion(long version) implements ExpectedVersion {

    ExactVersion {
        if (version < 1) {
            throw new IllegalArgumentException("exact expected version must be at least 1 but was " + version);
        }
    }

    @Override
    public boolean isMetBy(long actualVersion) {
        return actualVersion == version;
    }

    @Override
    public String toString() {
        return "version " + version;
    }
}
