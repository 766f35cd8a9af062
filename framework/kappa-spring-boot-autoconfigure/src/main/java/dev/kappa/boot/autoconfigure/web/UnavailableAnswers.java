package dev.kappa.boot.autoconfigure.web;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Logs the 503 answers given while the database is away as an operator wants to read them: the first at WARN, then
 * at most one WARN line per {@link #INTERVAL}, saying how many were answered since the last line; the rest at DEBUG.
 * An outage under load would otherwise write a line per request. Thread-safe.
 */
final class UnavailableAnswers {

    /** How often, at most, a 503 is logged at WARN. */
    static final Duration INTERVAL = Duration.ofSeconds(30);

    private final Logger log;
    private final Clock clock;
    /** When the last WARN line was written, in the clock's milliseconds; none yet at {@link Long#MIN_VALUE}. */
    private final AtomicLong lastWarned = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong sinceWarned = new AtomicLong();

    UnavailableAnswers(Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Logs one 503 answer and why it was given. */
    void answered(String why) {
        long now = clock.millis();
        long last = lastWarned.get();
        boolean due = last == Long.MIN_VALUE || now - last >= INTERVAL.toMillis();
        if (due && lastWarned.compareAndSet(last, now)) {
            long meanwhile = sinceWarned.getAndSet(0);
            if (meanwhile == 0) {
                log.warn("answering 503: {}", why);
            } else {
                log.warn("answering 503: {} ({} more 503 answers since the last line)", why, meanwhile);
            }
        } else {
            sinceWarned.incrementAndGet();
            log.debug("answering 503: {}", why);
        }
    }
}
