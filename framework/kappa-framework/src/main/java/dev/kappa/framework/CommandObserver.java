package dev.kappa.framework;

/**
 * Hears what the command gateway does, for metrics. Called on the thread that ran the command, so it must be quick
 * and must not throw.
 */
@FunctionalInterface
public interface CommandObserver {

    /** An observer that hears nothing. */
    CommandObserver NONE = (commandType, durationNanos, failure) -> { };

    /**
     * A command ended.
     *
     * @param commandType   the command's class
     * @param durationNanos how long it took, retries included
     * @param failure       why it failed (a broken business rule included), or {@code null} if it succeeded
     */
    void commandEnded(Class<?> commandType, long durationNanos, Throwable failure);
}
