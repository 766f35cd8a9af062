package dev.kappa.eventstore.internal;

import java.util.List;
import java.util.Objects;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.IdempotencyKeyReusedException;

/**
 * An append recorded under an idempotency key: its results, and the fingerprint of the request it was made for.
 *
 * @param results            one per stream, in the order the streams were given
 * @param requestFingerprint the request's fingerprint, or {@code null} if it was made without one
 */
public record RecordedAppend(List<AppendResult> results, String requestFingerprint) {

    public RecordedAppend {
        results = List.copyOf(results);
    }

    /**
     * Whether a request with {@code requestFingerprint} is a repeat of this append's: a key answers only the request
     * it was first used for. Without a fingerprint on either side there is nothing to compare, so it is.
     */
    public boolean repeatedBy(String requestFingerprint) {
        return this.requestFingerprint == null || requestFingerprint == null
                || this.requestFingerprint.equals(requestFingerprint);
    }

    /**
     * The results to answer a repeat of this append with.
     *
     * @throws IdempotencyKeyReusedException if the request is not a repeat ({@link #repeatedBy})
     */
    public List<AppendResult> answer(String key, String requestFingerprint) {
        if (!repeatedBy(requestFingerprint)) {
            throw new IdempotencyKeyReusedException(Objects.requireNonNull(key));
        }
        return results;
    }
}
