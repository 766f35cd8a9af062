package dev.kappa.console.internal.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A bounded ring of samples of a growing count (the log's head, a projection's checkpoint) over a window of time, and
 * the rates they show. A sample below the one before starts the ring again: the count went back (a reset).
 *
 * <p>Thread-safe: every method holds the ring's lock.
 */
final class RateSamples {

    /** A ceiling on the ring, whatever the window and however often it is sampled. */
    static final int MAX_SAMPLES = 20_000;

    private final Duration window;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    RateSamples(Duration window) {
        this.window = window;
    }

    /** Adds a sample; drops those older than the window. A sample older than the newest is ignored. */
    synchronized void add(Instant at, long value) {
        Sample newest = samples.peekLast();
        if (newest != null) {
            if (at.isBefore(newest.at())) {
                return;
            }
            if (value < newest.value()) {
                samples.clear();
            } else if (!at.isAfter(newest.at())) {
                samples.pollLast();
            }
        }
        samples.addLast(new Sample(at, value));
        Instant oldest = at.minus(window);
        while (samples.size() > MAX_SAMPLES || samples.peekFirst().at().isBefore(oldest)) {
            samples.pollFirst();
        }
    }

    /** The rate per second over the newest {@code span} (or as much of it as the ring holds); 0 without two samples. */
    synchronized double rate(Duration span) {
        Sample newest = samples.peekLast();
        if (newest == null) {
            return 0;
        }
        Instant from = newest.at().minus(span);
        Sample base = null;
        Iterator<Sample> backwards = samples.descendingIterator();
        while (backwards.hasNext()) {
            Sample sample = backwards.next();
            if (sample != newest && !sample.at().isBefore(from)) {
                base = sample;
            } else if (sample != newest) {
                if (base == null) {
                    base = sample; // the newest two are further apart than the span: use them
                }
                break;
            }
        }
        return base == null ? 0 : perSecond(base, newest);
    }

    /**
     * The samples, thinned to at most {@code maxPoints} evenly spaced ones, oldest first, each with the rate since the
     * point before (0 for the first).
     */
    synchronized List<Point> series(int maxPoints) {
        List<Sample> all = new ArrayList<>(samples);
        List<Point> points = new ArrayList<>();
        if (all.isEmpty()) {
            return points;
        }
        int step = Math.max(1, (all.size() + maxPoints - 1) / maxPoints);
        Sample previous = null;
        // walk from the newest back, so that the newest sample is always a point
        List<Sample> chosen = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i -= step) {
            chosen.add(0, all.get(i));
        }
        for (Sample sample : chosen) {
            points.add(new Point(sample.at(), sample.value(), previous == null ? 0 : perSecond(previous, sample)));
            previous = sample;
        }
        return points;
    }

    /** How many samples the ring holds. */
    synchronized int size() {
        return samples.size();
    }

    private static double perSecond(Sample from, Sample to) {
        long millis = Duration.between(from.at(), to.at()).toMillis();
        return millis <= 0 ? 0 : (to.value() - from.value()) * 1000.0 / millis;
    }

    private record Sample(Instant at, long value) {
    }

    /** A sample as the chart shows it. */
    record Point(Instant at, long value, double rate) {
    }
}
