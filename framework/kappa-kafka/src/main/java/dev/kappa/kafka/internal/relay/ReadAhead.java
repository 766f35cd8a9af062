package dev.kappa.kafka.internal.relay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.LogSubscriptions;

/**
 * Reads the log page after page from one offset on, a few pages ahead of the relay, so that PostgreSQL reads while
 * Kafka sends and commits. Pages come out in offset order, each starting right after the one before; a failed read
 * ends the read-ahead and is thrown to the relay, which then discards it (and whatever it read) and starts again from
 * the position it reads from Kafka. At the head, it waits for appends.
 *
 * <p>Thread-safe: one reading thread (from the executor), one taking thread (the relay's).
 */
final class ReadAhead implements AutoCloseable {

    private static final Duration AWAIT_APPEND = Duration.ofSeconds(1);

    private final EventReader reader;
    private final LogSubscriptions subscriptions;
    private final int batchSize;
    private final BlockingQueue<List<LogRecord>> pages;
    private volatile long readThrough;
    private volatile boolean atHead;
    private volatile boolean closed;
    private volatile Exception failure;

    /**
     * Starts reading after {@code afterOffset} on a thread of {@code executor}.
     *
     * @param depth how many pages to hold at most
     */
    ReadAhead(EventReader reader, LogSubscriptions subscriptions, long afterOffset, int batchSize, int depth,
              Executor executor) {
        this.reader = reader;
        this.subscriptions = subscriptions;
        this.batchSize = batchSize;
        this.pages = new ArrayBlockingQueue<>(depth);
        this.readThrough = afterOffset;
        executor.execute(this::read);
    }

    private void read() {
        try {
            while (!closed) {
                List<LogRecord> page = reader.readLog(readThrough, batchSize);
                if (page.isEmpty()) {
                    atHead = true;
                    subscriptions.awaitAppend(readThrough, AWAIT_APPEND);
                    continue;
                }
                atHead = false;
                while (!closed && !pages.offer(page, 100, TimeUnit.MILLISECONDS)) {
                    // the relay is busy with the pages before: wait for room
                }
                readThrough = page.get(page.size() - 1).offset();
            }
        } catch (InterruptedException e) {
            // closed
        } catch (Exception e) {
            failure = e;
        }
    }

    /**
     * The next page, or an empty list if none came within {@code timeout}.
     *
     * @throws Exception the failure that ended the reading, once the pages read before it are taken
     */
    List<LogRecord> next(Duration timeout) throws Exception {
        List<LogRecord> page = pages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (page != null) {
            return page;
        }
        if (failure != null && pages.isEmpty()) {
            throw failure;
        }
        return List.of();
    }

    /** Whether the last read found nothing new and no page waits: the relay has everything the log held. */
    boolean atHead() {
        return atHead && pages.isEmpty();
    }

    /** Stops reading; a read under way finishes and is dropped. */
    @Override
    public void close() {
        closed = true;
    }
}
