package dev.kappa.kafka.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.kappa.eventstore.EventAppender;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;

/**
 * Writers that append to the log concurrently until stopped or until they have appended a given number of events:
 * each append a few events to one stream, most to streams the default retained topic takes ({@code note-…}), some to
 * a routed prefix ({@code audit-…}), some keyed for the compacted topic, with tombstones, correlation ids and metadata
 * entries among them, so that every header the relay writes is exercised.
 *
 * <p>Thread-safe: {@link #appended()} may be read while they run.
 */
final class LogWriters {

    static final String ROUTED_PREFIX = "audit-";
    private static final int EVENTS_PER_APPEND = 8;

    private final EventAppender appender;
    private final long limit;
    private final AtomicLong appended = new AtomicLong();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    private LogWriters(EventAppender appender, long limit) {
        this.appender = appender;
        this.limit = limit;
    }

    /** Starts {@code count} writers that together append at most {@code limit} events (a little more, by a batch). */
    static LogWriters start(EventAppender appender, int count, long limit) {
        LogWriters writers = new LogWriters(appender, limit);
        for (int w = 0; w < count; w++) {
            String name = "writer-" + w;
            Thread thread = new Thread(() -> writers.write(name), "fault-" + name);
            writers.threads.add(thread);
            thread.start();
        }
        return writers;
    }

    /** Events appended so far. */
    long appended() {
        return appended.get();
    }

    /** Whether every writer has stopped, having reached the limit (or failed). */
    boolean finished() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** Stops the writers, waits for them, and throws if any failed. */
    void stop() throws InterruptedException {
        stopped.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a writer failed: " + failures.peek());
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private void write(String writer) {
        long sequence = 0;
        try {
            while (!stopped.get() && appended.get() < limit) {
                sequence++;
                List<NewEvent> events = new ArrayList<>(EVENTS_PER_APPEND);
                String stream;
                if (sequence % 10 == 0) {
                    stream = "profile-" + writer;
                    for (int i = 0; i < EVENTS_PER_APPEND; i++) {
                        String key = "profile:" + writer + ":" + (sequence * EVENTS_PER_APPEND + i) % 50;
                        Noted noted = new Noted(writer, sequence, "profile ✓ " + i);
                        events.add(i % 4 == 3 ? NewEvent.tombstone(key, noted)
                                : NewEvent.of(noted).withCompactionKey(key));
                    }
                } else {
                    stream = (sequence % 3 == 0 ? ROUTED_PREFIX : "note-") + writer + "-" + sequence % 64;
                    for (int i = 0; i < EVENTS_PER_APPEND; i++) {
                        NewEvent event = NewEvent.of(new Noted(writer, sequence, "naïve ☃ " + i));
                        if (i == 0) {
                            event = event.withCorrelationId("corr-" + writer + "-" + sequence)
                                    .withCausationId("cause-" + sequence).withMetadata("tenant", "t-" + sequence % 3);
                        }
                        events.add(event);
                    }
                }
                appender.append(stream, ExpectedVersion.any(), events);
                appended.addAndGet(events.size());
            }
        } catch (RuntimeException | Error e) {
            failures.add(e);
        }
    }
}
