package dev.kappa.eventstore;

/** Any version goes. */
record AnyVersion() implements ExpectedVersion {

    static final AnyVersion INSTANCE = new AnyVersion();

    @Override
    public boolean isMetBy(long actualVersion) {
        return true;
    }

    @Override
    public String toString() {
        return "any";
    }
}
