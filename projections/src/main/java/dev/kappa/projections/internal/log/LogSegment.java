package dev.kappa.projections.internal.log;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.LogShare;
import dev.kappa.eventstore.LogSubscriptions;
import dev.kappa.eventstore.SharePage;
import dev.kappa.projections.source.SourcePage;
import dev.kappa.projections.source.SourcePartition;

/**
 * One segment of the log, paged: reads the segment's records after a position and, when a page does not reach the
 * head (the worker is behind), reads the next one ahead on another thread while the worker applies this one.
 * Positions are log offsets.
 *
 * <p>A lone segment reads the whole log. One of several reads only its share ({@link EventReader#readShare}):
 * PostgreSQL returns the records of the segment's streams and the offset the read got through, which may lie beyond
 * the last record — or be all a page holds, when a stretch of the log has none of the segment's records — so the
 * checkpoint moves on over other segments' records without this process ever reading them.
 *
 * <p>Reads never run on a batch's transaction: a batch's first page is read on the worker's thread before the
 * transaction begins (a live event then reaches its batch without a hand-over between threads), the pages after it on
 * the read-ahead threads.
 *
 * <p>Not thread-safe: it belongs to one worker (only the read ahead runs elsewhere, on a future it owns).
 */
final class LogSegment implements SourcePartition {

    private final EventReader reader;
    private final LogSubscriptions subscriptions;
    private final Executor readAhead;
    /** The segment's share of the log; {@code null} for a lone segment, which reads all of it. */
    private final LogShare share;
    private ReadAhead<?> ahead;
    private long head;

    LogSegment(EventReader reader, LogSubscriptions subscriptions, Executor readAhead, int segment, int segments) {
        this.reader = reader;
        this.subscriptions = subscriptions;
        this.readAhead = readAhead;
        this.share = segments == 1 ? null : LogShare.of(segment, segments);
    }

    /**
     * Reads a page, taking the one read ahead if it is the one wanted, and reads the following one ahead when this one
     * does not reach the head.
     */
    @Override
    public SourcePage read(long after, int limit) {
        return share == null ? readLog(after, limit) : readShare(after, limit);
    }

    @Override
    public long head() {
        long read = reader.head();
        head = Math.max(head, read);
        return read;
    }

    @Override
    public void awaitAfter(long position, Duration timeout) throws InterruptedException {
        subscriptions.awaitAppend(position, timeout);
    }

    @Override
    public void close() {
        if (ahead != null) {
            ahead.page().cancel(false);
            ahead = null;
        }
    }

    /** A lone segment's page: the whole log after {@code after}. */
    private SourcePage readLog(long after, int limit) {
        List<LogRecord> records = takeAhead(after, limit);
        if (records == null) {
            records = outsideTransaction(() -> reader.readLog(after, limit));
        }
        if (records.isEmpty()) {
            return SourcePage.empty(after, head);
        }
        long last = records.get(records.size() - 1).offset();
        if (records.size() < limit) {
            head = Math.max(head, last);
            return SourcePage.of(records, last, true, head);
        }
        if (limit > 1) {
            ahead = new ReadAhead<>(last, limit, CompletableFuture.supplyAsync(() -> reader.readLog(last, limit),
                    readAhead));
        }
        // a full page that ends at the head (read after it) reached it too
        return SourcePage.of(records, last, last >= refreshHead(), head);
    }

    /** One of several segments' page: its share after {@code after}, read by PostgreSQL with the head. */
    private SourcePage readShare(long after, int limit) {
        SharePage page = takeAhead(after, limit);
        if (page == null) {
            page = outsideTransaction(() -> reader.readShare(share, after, limit));
        }
        head = Math.max(head, page.head());
        long through = page.throughOffset();
        if (!page.reachedHead() && limit > 1) {
            ahead = new ReadAhead<>(through, limit, CompletableFuture.supplyAsync(
                    () -> reader.readShare(share, through, limit), readAhead));
        }
        return SourcePage.of(page.records(), through, page.reachedHead(), head);
    }

    /** Runs a read on this thread, or on a read-ahead thread when this one is in a batch's transaction. */
    private <T> T outsideTransaction(Supplier<T> read) {
        return TransactionSynchronizationManager.isActualTransactionActive()
                ? CompletableFuture.supplyAsync(read, readAhead).join()
                : read.get();
    }

    /** The page read ahead, if it is the one wanted; any other is dropped. */
    @SuppressWarnings("unchecked")
    private <T> T takeAhead(long after, int limit) {
        ReadAhead<?> read = ahead;
        ahead = null;
        if (read == null) {
            return null;
        }
        if (read.after() != after || read.limit() != limit) {
            read.page().cancel(false);
            return null;
        }
        try {
            return (T) read.page().join();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Reads the log's head; on failure returns the last one known (it only serves lag figures and hints). */
    private long refreshHead() {
        try {
            head = Math.max(head, reader.head());
        } catch (RuntimeException e) {
            // the next full page tries again
        }
        return head;
    }

    @Override
    public String toString() {
        return "LogSegment[" + (share == null ? "the whole log" : share.segment() + " of " + share.segments()) + "]";
    }

    /** The next page, read while the current one is applied: a list of records or a share's page. */
    private record ReadAhead<T>(long after, int limit, CompletableFuture<T> page) {
    }
}
