package dev.kappa.eventstore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Appends events to the log.
 *
 * <p>What to append is an {@link AppendRequest}: one stream or several, each at an expected version, optionally under
 * an idempotency key. {@link #append(AppendRequest)} waits for it to be committed, {@link #appendAsync(AppendRequest)}
 * does not, and {@link #append(String, ExpectedVersion, List)} is the shorthand for the everyday single-stream case.
 * {@link #appendExclusively(ExclusiveAppend)} decides under the log's lock, for streams too contended for expected
 * versions.
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
     * Appends events to one stream and waits until they are committed: the everyday append, short for
     * {@code append(AppendRequest.to(streamId, expectedVersion, events)).result()}.
     *
     * @return where the events landed
     * @throws ConcurrencyException      if the stream is not at {@code expectedVersion}; nothing is written
     * @throws IllegalArgumentException  if the stream id or an event is invalid (blank or over-long id, no events,
     *                                   an unregistered or unserialisable payload, a payload over the size limit);
     *                                   nothing is written
     * @throws EventStoreException       if the database failed; the message says whether anything was written
     */
    default AppendResult append(String streamId, ExpectedVersion expectedVersion, List<NewEvent> events) {
        return append(AppendRequest.to(streamId, expectedVersion, events)).result();
    }

    /**
     * Appends a request atomically and waits until it is committed: either every stream's expected version holds and
     * all its events are written, or nothing is. With an idempotency key used before, nothing is appended and the
     * first request's results are returned, as {@link AppendRequest} describes.
     *
     * @return where the events landed, one result per stream in the request's order
     * @throws ConcurrencyException          for the first stream whose expected version does not hold (when the key,
     *                                       if any, is new); nothing is written
     * @throws IdempotencyKeyReusedException if the key was first used with a different request fingerprint; nothing
     *                                       is written
     * @throws IllegalArgumentException      if an event is invalid (as {@link #append(String, ExpectedVersion, List)});
     *                                       nothing is written
     * @throws AppendOutcomeUnknownException if the commit's outcome could not be learnt: read before retrying, or
     *                                       retry under the same idempotency key
     * @throws EventStoreException           if the database failed; the message says whether anything was written
     */
    Appended append(AppendRequest request);

    /**
     * {@link #append(AppendRequest)} without waiting: the future completes when the request is committed, or
     * exceptionally with the exceptions {@code append} throws. Invalid input fails at once, before anything is queued.
     */
    CompletableFuture<Appended> appendAsync(AppendRequest request);

    /**
     * Decides and appends in one transaction that holds the log's append lock throughout, so the decision cannot
     * conflict: the stream's version handed to the decision stays current until its events are appended. Reads
     * made through this store inside the decision use that transaction. With an idempotency key already used, the
     * earlier results are returned and the decision is not called; a key that comes back with another request
     * fingerprint is refused, as {@link AppendRequest} describes.
     *
     * <p>This is a verb of its own rather than an option of {@link AppendRequest} because it differs in kind: the
     * events are not known up front but decided under the lock, the decision may decide nothing, and every other
     * append waits while it runs. It is the last resort for a stream too contended for optimistic appends, not the
     * everyday path. Inside a Spring-managed transaction on the store's data source, it joins that transaction (and
     * the lock is held until it ends).
     *
     * @return the append's result, or empty if the decision returned no events (then nothing is written)
     * @throws IdempotencyKeyReusedException if the key was first used with a different fingerprint; the decision is
     *                                       not called and nothing is written
     * @throws RuntimeException              whatever the decision threw, unchanged; nothing is written
     */
    Optional<Appended> appendExclusively(ExclusiveAppend append);

    /**
     * Whether an append made now, on the calling thread, would join the caller's Spring-managed transaction instead of
     * going through group commit. Such a transaction holds the log's append lock from its first append until it ends,
     * so until then its thread must not wait for anything that itself waits for another append (an in-process lock
     * held by a thread whose append is queued, say): that would be a deadlock.
     */
    boolean joinsCurrentTransaction();
}
