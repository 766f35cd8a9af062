package dev.kappa.projections.internal.metrics;

import dev.kappa.projections.internal.segment.SegmentKey;

/**
 * Where workers report what they do. Without a meter registry nothing is reported; with one, Micrometer gauges and
 * counters are kept per projection and segment. Implementations are thread-safe.
 */
public interface ProjectionMetrics {

    /** Reports nothing. */
    ProjectionMetrics NONE = (key, gauges) -> SegmentMeters.NONE;

    /**
     * The meters of one segment's worker; its gauges read {@code gauges}.
     *
     * @param registry a Micrometer {@code MeterRegistry}, or {@code null} for none; typed {@code Object} so that
     *                 Micrometer classes are touched only when one is given
     */
    static ProjectionMetrics of(Object registry) {
        return registry == null ? NONE : MicrometerMetrics.create(registry);
    }

    /** Registers a segment's worker. */
    SegmentMeters segment(SegmentKey key, SegmentGauges gauges);

    /** What a worker exposes to gauges. Read from any thread. */
    interface SegmentGauges {

        /** The checkpoint. */
        long checkpoint();

        /** How far behind the head it is. */
        long lag();

        /** Whether it is stopped at a failing event. */
        boolean failed();
    }

    /** A worker's counters. Thread-safe. */
    interface SegmentMeters extends AutoCloseable {

        /** Counts nothing. */
        SegmentMeters NONE = new SegmentMeters() {
        };

        /** Events handled (decoded and applied). */
        default void handled(int events) {
        }

        /** A failed attempt at an event that will be retried. */
        default void retried() {
        }

        /** An event parked in the dead-letter table. */
        default void deadLettered() {
        }

        /** The segment stopped at an event. */
        default void failed() {
        }

        /** Removes the worker's meters. */
        @Override
        default void close() {
        }
    }
}
