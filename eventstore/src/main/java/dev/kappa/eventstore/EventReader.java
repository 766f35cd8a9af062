package dev.kappa.eventstore;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the log and its streams. Only committed records are ever returned.
 *
 * <p>Inside an active Spring-managed transaction on the store's {@code DataSource}, reads use that transaction's
 * connection and so see its own uncommitted appends.
 *
 * <p>Implementations are thread-safe.
 */
public interface EventReader {

    /**
     * Reads a stream's events from {@code fromVersion} on (1 for all), in version order.
     *
     * @return the events; empty if the stream does not exist or has no event at or after that version
     */
    List<LogRecord> readStream(String streamId, long fromVersion);

    /**
     * Reads at most {@code maxCount} of a stream's events from {@code fromVersion} on, in version order: one page of
     * a long stream.
     */
    List<LogRecord> readStream(String streamId, long fromVersion, int maxCount);

    /** The stream's current version: the number of events ever appended to it, 0 if it does not exist. */
    long streamVersion(String streamId);

    /**
     * Reads at most {@code limit} records with offsets above {@code afterOffset}, in offset order: one page of the
     * log. Pass 0 to read from the start, then the last offset you received.
     */
    List<LogRecord> readLog(long afterOffset, int limit);

    /**
     * Reads one page of a share of the log: at most {@code limit} records above {@code afterOffset} whose streams
     * belong to {@code share}, in offset order, with the offset the read got through and the head, all from one
     * snapshot. Pass 0 to read from the start, then the page's {@link SharePage#throughOffset()}: a share with no
     * records of its own still moves on. One read scans a bounded stretch of the log, so a page may hold fewer than
     * {@code limit} records, or none, before the head; {@link SharePage#reachedHead()} says when it got there.
     */
    SharePage readShare(LogShare share, long afterOffset, int limit);

    /**
     * The log's records above {@code afterOffset}, in offset order, up to the head as it is when each page is read.
     * The stream fetches pages lazily and holds one page in memory at a time, so it can walk a log of any size.
     * It holds no connection between pages; closing it is not required.
     */
    Stream<LogRecord> streamLog(long afterOffset);

    /** The highest offset committed so far, 0 for an empty log. */
    long head();

    /**
     * The results of the append made with this idempotency key, if there was one (and its key has not expired): lets
     * a caller answer a retry before doing the work again. Same as {@link #findAppend(String, String)} without a
     * request fingerprint.
     */
    default Optional<List<AppendResult>> findAppend(String idempotencyKey) {
        return findAppend(idempotencyKey, null);
    }

    /**
     * The results of the append made with this idempotency key, if there was one, checked against the request: see
     * {@link AppendRequest}.
     *
     * @param requestFingerprint what identifies the request, or {@code null} for no check
     * @throws IdempotencyKeyReusedException if the key was used for a request with a different fingerprint
     */
    Optional<List<AppendResult>> findAppend(String idempotencyKey, String requestFingerprint);
}
