package dev.kappa.eventstore;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to append in one atomic step: events for one stream or several, each under its expected version, and
 * optionally an idempotency key that makes the request take effect at most once. Immutable; build it fluently:
 *
 * <pre>{@code
 * store.append(AppendRequest.to("account-42", ExpectedVersion.exactly(7), events));
 *
 * store.append(AppendRequest.of(List.of(
 *                 StreamAppend.of("account-1", ExpectedVersion.exactly(3), withdrawn),
 *                 StreamAppend.of("account-2", ExpectedVersion.any(), deposited)))
 *         .withIdempotencyKey("transfer-17", requestDigest));
 * }</pre>
 *
 * <p><b>Idempotency.</b> The first request with a key is appended as any other, and its results are recorded with
 * its events, in the same transaction; any later request with the same key (a retry, concurrent or not) appends
 * nothing and is answered with those first results ({@link Appended#alreadyAppended()}), without checking expected
 * versions. A failed request (a conflict, say) records nothing, so it can be retried with the same key. A request
 * fingerprint (a digest of the request, say) recorded with the key makes a later request with the key and another
 * fingerprint fail with {@link IdempotencyKeyReusedException}, appending nothing; if either fingerprint is
 * {@code null}, the key is answered as a repeat, unchecked. Keys are kept for the idempotency retention (see
 * {@link EventStoreBuilder#idempotencyRetention}): once compaction has removed a key, a request with it is made again.
 *
 * @param appends            the streams and their events, in order; at least one, no stream twice
 * @param idempotencyKey     the key to append at most once under, unique per operation across the whole log, or
 *                           {@code null}; not blank, at most {@value StreamAppend#MAX_STREAM_ID_LENGTH} characters
 * @param requestFingerprint what identifies the request made under the key, or {@code null} for no check; only with
 *                           a key; not blank, at most {@value StreamAppend#MAX_STREAM_ID_LENGTH} characters
 */
public record AppendRequest(List<StreamAppend> appends, String idempotencyKey, String requestFingerprint) {

    /**
     * @throws IllegalArgumentException if there are no appends, a null one, a stream named twice, an invalid key or
     *                                  fingerprint, or a fingerprint without a key
     */
    public AppendRequest {
        StreamAppend.requireValidIdempotency(idempotencyKey, requestFingerprint);
        if (appends == null || appends.isEmpty()) {
            throw new IllegalArgumentException("nothing to append: an append request needs at least one StreamAppend");
        }
        appends = List.copyOf(nonNull(appends));
        if (appends.size() > 1) {
            Set<String> seen = new HashSet<>();
            for (StreamAppend append : appends) {
                if (!seen.add(append.streamId())) {
                    throw new IllegalArgumentException("stream '" + append.streamId() + "' appears twice in one"
                            + " append request: put all its events into one StreamAppend");
                }
            }
        }
    }

    /** A request to append {@code events} to one stream, at {@code expectedVersion}. */
    public static AppendRequest to(String streamId, ExpectedVersion expectedVersion, List<NewEvent> events) {
        return new AppendRequest(List.of(new StreamAppend(streamId, expectedVersion, events)), null, null);
    }

    /**
     * A request to append to several streams atomically: either every stream's expected version holds and all events
     * are written, or nothing is. Results come in the order of {@code appends}.
     */
    public static AppendRequest of(List<StreamAppend> appends) {
        return new AppendRequest(appends, null, null);
    }

    /** This request, made at most once under {@code idempotencyKey}; a {@code null} key makes it a plain request. */
    public AppendRequest withIdempotencyKey(String idempotencyKey) {
        return withIdempotencyKey(idempotencyKey, null);
    }

    /**
     * This request, made at most once under {@code idempotencyKey} and refused if the key comes back with another
     * {@code requestFingerprint}; a {@code null} key (and fingerprint) makes it a plain request.
     */
    public AppendRequest withIdempotencyKey(String idempotencyKey, String requestFingerprint) {
        if (Objects.equals(idempotencyKey, this.idempotencyKey)
                && Objects.equals(requestFingerprint, this.requestFingerprint)) {
            return this;
        }
        return new AppendRequest(appends, idempotencyKey, requestFingerprint);
    }

    private static List<StreamAppend> nonNull(List<StreamAppend> appends) {
        for (StreamAppend append : appends) {
            if (append == null) {
                throw new IllegalArgumentException("an append request was given a null StreamAppend");
            }
        }
        return appends;
    }
}
