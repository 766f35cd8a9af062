package dev.kappa.projections.internal.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.LogSubscriptions;
import dev.kappa.projections.source.SourcePage;
import dev.kappa.projections.source.SourcePartition;

/**
 * One segment of the log, paged: reads the log after a position, keeps the segment's share of it, and, when a page
 * comes back full (the worker is behind), reads the next one ahead on another thread while the worker applies this
 * one. Positions are log offsets.
 *
 * <p>Reads never run on a batch's transaction: a batch's first page is read on the worker's thread before the
 * transaction begins (a live event then reaches its batch without a hand-over between threads), the pages after it on
 * the read-ahead threads.
 *
 * <p>Today the segment's share is kept in Java, from reads of the whole log ({@link #share}); once the event store can
 * read one segment's share itself (answering with the records and the offset the read got through), {@link #read} and
 * the read ahead call that instead, and nothing outside this class changes.
 *
 * <p>Not thread-safe: it belongs to one worker (only the read ahead runs elsewhere, on a future it owns).
 */
final class LogSegment implements SourcePartition {

    private final EventReader reader;
    private final LogSubscriptions subscriptions;
    private final Executor readAhead;
    private final int segment;
    private final int segments;
    private ReadAhead ahead;
    private long head;

    LogSegment(EventReader reader, LogSubscriptions subscriptions, Executor readAhead, int segment, int segments) {
        this.reader = reader;
        this.subscriptions = subscriptions;
        this.readAhead = readAhead;
        this.segment = segment;
        this.segments = segments;
    }

    /**
     * Reads a page, taking the one read ahead if it is the one wanted, and reads the following one ahead when this one
     * is full.
     */
    @Override
    public SourcePage read(long after, int limit) {
        List<LogRecord> records = readAhead(after, limit);
        if (records == null) {
            records = TransactionSynchronizationManager.isActualTransactionActive()
                    ? CompletableFuture.supplyAsync(() -> reader.readLog(after, limit), readAhead).join()
                    : reader.readLog(after, limit);
        }
        if (records.size() < limit) {
            if (records.isEmpty()) {
                return SourcePage.empty(after, head);
            }
            long last = records.get(records.size() - 1).offset();
            head = Math.max(head, last);
            return SourcePage.ofShare(share(records), records.size(), last, true, head);
        }
        long last = records.get(records.size() - 1).offset();
        if (limit > 1) {
            ahead = new ReadAhead(last, limit, CompletableFuture.supplyAsync(() -> reader.readLog(last, limit),
                    readAhead));
        }
        // a full page that ends at the head (read after it) reached it too
        return SourcePage.ofShare(share(records), records.size(), last, last >= refreshHead(), head);
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
            ahead.records().cancel(false);
            ahead = null;
        }
    }

    /** The segment's records among those read: all of them when the log is one segment. */
    private List<LogRecord> share(List<LogRecord> records) {
        if (segments == 1) {
            return records;
        }
        List<LogRecord> share = new ArrayList<>(records.size());
        for (int i = 0, n = records.size(); i < n; i++) {
            LogRecord record = records.get(i);
            if (SegmentHash.segmentOf(record.streamId(), segments) == segment) {
                share.add(record);
            }
        }
        return share;
    }

    /** The page read ahead, if it is the one wanted; any other is dropped. */
    private List<LogRecord> readAhead(long after, int limit) {
        ReadAhead read = ahead;
        ahead = null;
        if (read == null) {
            return null;
        }
        if (read.after() != after || read.limit() != limit) {
            read.records().cancel(false);
            return null;
        }
        try {
            return read.records().join();
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
        return "LogSegment[" + segment + " of " + segments + "]";
    }

    /** The next page, read while the current one is applied. */
    private record ReadAhead(long after, int limit, CompletableFuture<List<LogRecord>> records) {
    }
}
