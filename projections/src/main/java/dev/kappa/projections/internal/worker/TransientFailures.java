package dev.kappa.projections.internal.worker;

import dev.kappa.eventstore.DatabaseFailures;

/**
 * Tells a failure of the database connection or a passing conflict (retried for as long as it lasts, without
 * counting against the event) from a failure of the event's handling (retried a bounded number of times): the event
 * store's {@link DatabaseFailures}, under the names the workers use.
 */
public final class TransientFailures {

    private TransientFailures() {
    }

    /** See {@link DatabaseFailures#isTransient}. */
    public static boolean isTransient(Throwable failure) {
        return DatabaseFailures.isTransient(failure);
    }

    /** See {@link DatabaseFailures#isUnavailable}. */
    public static boolean isUnavailable(Throwable failure) {
        return DatabaseFailures.isUnavailable(failure);
    }

    /** See {@link DatabaseFailures#describe}. */
    public static String describe(Throwable failure) {
        return DatabaseFailures.describe(failure);
    }
}
