package dev.kappa.kafka.internal.relay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.LogSubscriptions;

/**
 * Reads the log page after page from one offset on, a few pages ahead of the relay, and turns each record into the
 * Kafka record it becomes, so that PostgreSQL reads (and records are mapped) while Kafka sends and commits. Pages come out in offset order, each starting right after the one before; a failed read
 * ends the read-ahead and is thrown to the relay, which then discards it (and whatever it read) and starts again from
 * the position it reads from Kafka. At the head, it waits for appends.
 *
 * <p>Thread-safe: one reading thread (from the executor), one taking thread (the relay's).
 */
final class ReadAhead implements AutoCloseable {

    private static final Duration AWAIT_APPEND = Duration.ofSeconds(1);
    /**
     * About how many payload characters one page holds: pages of large events get fewer records, so that the pages in
     * memory (the one being sent and those read ahead) stay a few tens of megabytes whatever the events weigh.
     */
    static final long PAGE_BUDGET_CHARS = 8L * 1024 * 1024;
    private static final int FIRST_PAGE = 10;

    private final EventReader reader;
    private final LogSubscriptions subscriptions;
    private final int batchSize;
    private final Function<LogRecord, ProducerRecord<byte[], byte[]>> mapping;
    private final BlockingQueue<Page> pages;
    private volatile long readThrough;
    private volatile boolean atHead;
    private volatile boolean closed;
    private volatile Throwable failure;

    /**
     * Starts reading after {@code afterOffset} on a thread of {@code executor}.
     *
     * @param depth how many pages to hold at most
     */
    ReadAhead(EventReader reader, LogSubscriptions subscriptions, long afterOffset, int batchSize, int depth,
              Function<LogRecord, ProducerRecord<byte[], byte[]>> mapping, Executor executor) {
        this.reader = reader;
        this.mapping = mapping;
        this.subscriptions = subscriptions;
        this.batchSize = batchSize;
        this.pages = new ArrayBlockingQueue<>(depth);
        this.readThrough = afterOffset;
        executor.execute(this::read);
    }

    private void read() {
        // a small first page, to learn how large the events are before reading many
        int limit = Math.min(batchSize, FIRST_PAGE);
        try {
            while (!closed) {
                List<LogRecord> page = reader.readLog(readThrough, limit);
                if (page.isEmpty()) {
                    atHead = true;
                    subscriptions.awaitAppend(readThrough, AWAIT_APPEND);
                    continue;
                }
                atHead = false;
                limit = nextLimit(page);
                List<ProducerRecord<byte[], byte[]>> records = page.stream().map(mapping).toList();
                Page mapped = new Page(records, page.get(page.size() - 1).offset());
                while (!closed && !pages.offer(mapped, 100, TimeUnit.MILLISECONDS)) {
                    // the relay is busy with the pages before: wait for room
                }
                readThrough = mapped.lastOffset();
            }
        } catch (InterruptedException e) {
            // closed
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** As many records as the budget holds at the last page's average size, between 1 and the batch size. */
    private int nextLimit(List<LogRecord> page) {
        long chars = 0;
        for (LogRecord record : page) {
            chars += record.payload().length();
        }
        long average = Math.max(1, chars / page.size());
        return (int) Math.max(1, Math.min(batchSize, PAGE_BUDGET_CHARS / average));
    }

    /**
     * The next page, or {@code null} if none came within {@code timeout}.
     *
     * @throws Exception the failure that ended the reading, once the pages read before it are taken
     */
    Page next(Duration timeout) throws Exception {
        Page page = pages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (page != null) {
            return page;
        }
        Throwable failed = failure;
        if (failed != null && pages.isEmpty()) {
            if (failed instanceof Exception exception) {
                throw exception;
            }
            throw new IllegalStateException("reading the log failed: " + failed, failed);
        }
        return null;
    }

    /** Whether the last read found nothing new and no page waits: the relay has everything the log held. */
    boolean atHead() {
        return atHead && pages.isEmpty();
    }

    /**
     * One page of the log as Kafka records.
     *
     * @param records    the records, in log offset order; never empty
     * @param lastOffset the log offset of the last
     */
    record Page(List<ProducerRecord<byte[], byte[]>> records, long lastOffset) {
    }

    /** Stops reading; a read under way finishes and is dropped. */
    @Override
    public void close() {
        closed = true;
    }
}
