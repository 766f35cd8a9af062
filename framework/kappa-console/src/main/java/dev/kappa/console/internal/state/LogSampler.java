package dev.kappa.console.internal.state;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.EventStoreException;

/**
 * Samples the log's head, about once a second, into a ring that covers the rate window: the append rate and the chart
 * come from it.
 *
 * <p>Thread-safe: {@link #sample()} runs on the console's scheduler, the readers on request threads.
 */
public final class LogSampler {

    /** The span the "current" append rate is taken over. */
    static final Duration RATE_SPAN = Duration.ofSeconds(10);
    /** How many points the chart gets, at most. */
    static final int CHART_POINTS = 150;

    private static final Logger log = LoggerFactory.getLogger(LogSampler.class);

    private final EventReader reader;
    private final Clock clock;
    private final RateSamples heads;
    private volatile boolean failing;

    public LogSampler(EventReader reader, Clock clock, Duration rateWindow) {
        this.reader = reader;
        this.clock = clock;
        this.heads = new RateSamples(rateWindow);
    }

    /** Reads the head and keeps it; while the database does not answer, keeps nothing (one log line when it stops). */
    public void sample() {
        try {
            record(reader.head());
            if (failing) {
                failing = false;
                log.info("console: the log's head can be read again; the append-rate chart resumes");
            }
        } catch (EventStoreException e) {
            if (!failing) {
                failing = true;
                log.warn("console: cannot read the log's head for the append-rate chart ({}); trying every second",
                        e.getMessage());
            }
        }
    }

    /** Keeps a head read elsewhere (by the state's own read), taken now. */
    void record(long head) {
        heads.add(clock.instant(), head);
    }

    /** Events appended per second over the last ten seconds. */
    double appendRate() {
        return heads.rate(RATE_SPAN);
    }

    /** The head and rate over the window, oldest first. */
    List<RateSamples.Point> series() {
        return heads.series(CHART_POINTS);
    }
}
