package dev.kappa.eventstore;

/** The stream must not exist yet. */
record NoStream() implements ExpectedVersion {

    static final NoStream INSTANCE = new NoStream();

    @Override
    public boolean isMetBy(long actualVersion) {
        return actualVersion == 0;
    }

    @Override
    public String toString() {
        return "no stream";
    }
}
