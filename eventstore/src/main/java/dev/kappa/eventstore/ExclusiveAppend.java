package dev.kappa.eventstore;

import java.util.Objects;

/**
 * A decision on one stream made and appended while nobody else can append: see
 * {@link EventAppender#appendExclusively(ExclusiveAppend)}. Immutable; build it fluently:
 *
 * <pre>{@code
 * store.appendExclusively(ExclusiveAppend.to("account-42", version -> decide(version))
 *         .withIdempotencyKey("withdrawal-9", requestDigest));
 * }</pre>
 *
 * @param streamId           the stream; not blank, at most {@value StreamAppend#MAX_STREAM_ID_LENGTH} characters
 * @param decision           decides the events at the stream's current version
 * @param idempotencyKey     the key to append at most once under, or {@code null}; as in {@link AppendRequest}
 * @param requestFingerprint what identifies the request made under the key, or {@code null} for no check; only with
 *                           a key; as in {@link AppendRequest}
 */
public record ExclusiveAppend(String streamId, ExclusiveDecision decision, String idempotencyKey,
                              String requestFingerprint) {

    /** @throws IllegalArgumentException for an invalid stream id, key or fingerprint, or a fingerprint without a key */
    public ExclusiveAppend {
        StreamAppend.requireValidStreamId(streamId);
        StreamAppend.requireValidIdempotency(idempotencyKey, requestFingerprint);
        Objects.requireNonNull(decision, "decision must not be null");
    }

    /** A decision on {@code streamId}, without an idempotency key. */
    public static ExclusiveAppend to(String streamId, ExclusiveDecision decision) {
        return new ExclusiveAppend(streamId, decision, null, null);
    }

    /** This decision, appended at most once under {@code idempotencyKey}; a {@code null} key makes it a plain one. */
    public ExclusiveAppend withIdempotencyKey(String idempotencyKey) {
        return withIdempotencyKey(idempotencyKey, null);
    }

    /**
     * This decision, appended at most once under {@code idempotencyKey} and refused if the key comes back with another
     * {@code requestFingerprint}; a {@code null} key (and fingerprint) makes it a plain one.
     */
    public ExclusiveAppend withIdempotencyKey(String idempotencyKey, String requestFingerprint) {
        return new ExclusiveAppend(streamId, decision, idempotencyKey, requestFingerprint);
    }
}
