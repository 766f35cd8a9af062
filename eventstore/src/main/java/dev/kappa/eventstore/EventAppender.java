package dev.kappa.eventstore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Appends events to the log.
 *
 * <p>Every append is atomic: all its events are written, with dense offsets, or none. Concurrent appends are
 * coalesced into one transaction (group commit), yet each caller gets its own result or its own failure: a
 * conflict in one append never fails another's events.
 *
 * <p>Called inside an active Spring-managed transaction on the store's {@code DataSource}, an append joins that
 * transaction instead, so the application's own rows and the events commit together or not at all. The log's head
 * is then locked until that transaction ends: keep such transactions short.
 *
 * <p>Implementations are thread-safe.
 */
public interface EventAppender {

    /**
     * Appends events to one stream and waits until they are committed.
     *
     * @return where the events landed
     * @throws ConcurrencyException      if the stream is not at {@code expectedVersion}; nothing is written
     * @throws IllegalArgumentException  if the stream id or an event is invalid (blank or over-long id, no events,
     *                                   an unregistered or unserialisable payload, a payload over the size limit);
     *                                   nothing is written
     * @throws EventStoreException       if the database failed; the message says whether anything was written
     */
    AppendResult append(String streamId, ExpectedVersion expectedVersion, List<NewEvent> events);

    /**
     * Appends events to one stream without waiting: the future completes when they are committed, or exceptionally
     * with the exceptions {@link #append} throws. Invalid input fails at once, before anything is queued.
     */
    CompletableFuture<AppendResult> appendAsync(String streamId, ExpectedVersion expectedVersion, List<NewEvent> events);

    /**
     * Appends to several streams atomically: either every stream's condition holds and all events are written, or
     * nothing is. Results are in the order of {@code appends}.
     *
     * @throws ConcurrencyException     for the first stream whose condition does not hold; nothing is written
     * @throws IllegalArgumentException if {@code appends} is empty, names a stream twice, or holds invalid events
     */
    List<AppendResult> appendAll(List<StreamAppend> appends);

    /** {@link #appendAll(List)} without waiting. */
    CompletableFuture<List<AppendResult>> appendAllAsync(List<StreamAppend> appends);

    /**
     * Appends at most once per idempotency key: the first append with a key is made like
     * {@link #appendAll(List)} and its results are recorded with its events, in the same transaction; any later
     * append with the same key (a retry, concurrent or not) appends nothing and returns those first results, without
     * checking expected versions. A failed append (a conflict, say) records nothing, so it can be retried with the
     * same key. Keys are kept for the idempotency retention (see {@link EventStoreBuilder#idempotencyRetention}):
     * once compaction has removed a key, an append with it is made again.
     *
     * <p>Same as {@link #appendOnce(String, String, List)} without a request fingerprint: a repeated key is answered
     * as a repeat whatever request it came with.
     *
     * @param idempotencyKey not blank, at most {@value StreamAppend#MAX_STREAM_ID_LENGTH} characters, unique per
     *                       operation (across the whole log)
     * @throws ConcurrencyException     for the first stream whose condition does not hold, when the key is new
     * @throws IllegalArgumentException for an invalid key or invalid appends, as {@link #appendAll(List)}
     */
    default AppendOnceResult appendOnce(String idempotencyKey, List<StreamAppend> appends) {
        return appendOnce(idempotencyKey, null, appends);
    }

    /**
     * {@link #appendOnce(String, List)}, refusing a key that comes back with a different request. The fingerprint is
     * recorded with the key; a later append with the key and another fingerprint appends nothing and fails. If either
     * fingerprint is {@code null} (the key was first used without one, or is repeated without one), the key is answered
     * as a repeat, unchecked.
     *
     * @param requestFingerprint what identifies the request made under the key (a digest of it, say), or
     *                           {@code null} for no check; not blank, at most
     *                           {@value StreamAppend#MAX_STREAM_ID_LENGTH} characters
     * @throws IdempotencyKeyReusedException if the key was first used with a different fingerprint; nothing is
     *                                       written
     * @throws ConcurrencyException          for the first stream whose condition does not hold, when the key is new
     * @throws IllegalArgumentException      for an invalid key, fingerprint or appends
     */
    AppendOnceResult appendOnce(String idempotencyKey, String requestFingerprint, List<StreamAppend> appends);

    /** {@link #appendOnce(String, List)} without waiting. */
    default CompletableFuture<AppendOnceResult> appendOnceAsync(String idempotencyKey, List<StreamAppend> appends) {
        return appendOnceAsync(idempotencyKey, null, appends);
    }

    /**
     * {@link #appendOnce(String, String, List)} without waiting: the future completes exceptionally with the
     * exceptions it throws. Invalid input fails at once, before anything is queued.
     */
    CompletableFuture<AppendOnceResult> appendOnceAsync(String idempotencyKey, String requestFingerprint,
                                                        List<StreamAppend> appends);

    /**
     * Decides and appends in one transaction that holds the log's append lock throughout, so the decision cannot
     * conflict: the stream's version handed to {@code decision} stays current until its events are appended. Reads
     * made through this store inside the decision use that transaction. With an idempotency key already used, the
     * earlier results are returned and {@code decision} is not called.
     *
     * <p>Every other append waits while the decision runs: this is the last resort for a stream too contended for
     * optimistic appends, not the everyday path. Inside a Spring-managed transaction on the store's data source, it
     * joins that transaction (and the lock is held until it ends).
     *
     * <p>Same as {@link #appendExclusively(String, String, String, ExclusiveDecision)} without a request fingerprint.
     *
     * @param idempotencyKey a key to append once under, or {@code null}
     * @return the append's result, or empty if the decision returned no events (then nothing is written)
     * @throws RuntimeException whatever {@code decision} threw, unchanged; nothing is written
     */
    default Optional<AppendOnceResult> appendExclusively(String streamId, String idempotencyKey,
                                                        ExclusiveDecision decision) {
        return appendExclusively(streamId, idempotencyKey, null, decision);
    }

    /**
     * {@link #appendExclusively(String, String, ExclusiveDecision)}, refusing a key that comes back with a different
     * request, as {@link #appendOnce(String, String, List)} does.
     *
     * @param idempotencyKey     a key to append once under, or {@code null}
     * @param requestFingerprint what identifies the request made under the key, or {@code null} for no check; only
     *                           with a key
     * @throws IdempotencyKeyReusedException if the key was first used with a different fingerprint; {@code decision}
     *                                       is not called and nothing is written
     */
    Optional<AppendOnceResult> appendExclusively(String streamId, String idempotencyKey, String requestFingerprint,
                                                 ExclusiveDecision decision);

    /**
     * Whether an append made now, on the calling thread, would join the caller's Spring-managed transaction instead of
     * going through group commit. Such a transaction holds the log's append lock from its first append until it ends,
     * so until then its thread must not wait for anything that itself waits for another append (an in-process lock
     * held by a thread whose append is queued, say): that would be a deadlock.
     */
    boolean joinsCurrentTransaction();
}
