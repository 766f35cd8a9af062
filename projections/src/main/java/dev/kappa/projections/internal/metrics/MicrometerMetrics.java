package dev.kappa.projections.internal.metrics;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import dev.kappa.projections.internal.segment.SegmentKey;

/**
 * Publishes worker metrics to Micrometer, tagged {@code projection}, {@code generation} and {@code segment}:
 * gauges {@code kappa.projection.checkpoint}, {@code kappa.projection.lag}, {@code kappa.projection.failed}; counters
 * {@code kappa.projection.events}, {@code kappa.projection.retries}, {@code kappa.projection.dead.letters},
 * {@code kappa.projection.failures}. The only class that touches Micrometer: it is loaded only when a registry is
 * given. Thread-safe.
 */
final class MicrometerMetrics implements ProjectionMetrics {

    private final MeterRegistry registry;

    private MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static ProjectionMetrics create(Object registry) {
        return new MicrometerMetrics((MeterRegistry) registry);
    }

    @Override
    public SegmentMeters segment(SegmentKey key, SegmentGauges gauges) {
        Tags tags = Tags.of("projection", key.projection(), "generation", Integer.toString(key.generation()),
                "segment", Integer.toString(key.segment()));
        // Micrometer holds a gauge's object weakly; the workers' gauges object is referenced from nowhere else, so
        // without a strong reference it is collected and the gauges read NaN. close() removes them, so nothing leaks.
        List<Meter> gaugeMeters = List.of(
                Gauge.builder("kappa.projection.checkpoint", gauges, SegmentGauges::checkpoint).tags(tags)
                        .strongReference(true)
                        .description("The last offset the segment applied").register(registry),
                Gauge.builder("kappa.projection.lag", gauges, SegmentGauges::lag).tags(tags).strongReference(true)
                        .description("How many offsets the segment is behind the log's head").register(registry),
                Gauge.builder("kappa.projection.failed", gauges, g -> g.failed() ? 1 : 0).tags(tags)
                        .strongReference(true)
                        .description("1 while the segment is stopped at a failing event").register(registry));
        Counter handled = Counter.builder("kappa.projection.events").tags(tags)
                .description("Events applied").register(registry);
        Counter retries = Counter.builder("kappa.projection.retries").tags(tags)
                .description("Failed attempts at an event that were retried").register(registry);
        Counter deadLetters = Counter.builder("kappa.projection.dead.letters").tags(tags)
                .description("Events parked in the dead-letter table").register(registry);
        Counter failures = Counter.builder("kappa.projection.failures").tags(tags)
                .description("Times the segment stopped at a failing event").register(registry);
        return new SegmentMeters() {
            @Override
            public void handled(int events) {
                handled.increment(events);
            }

            @Override
            public void retried() {
                retries.increment();
            }

            @Override
            public void deadLettered() {
                deadLetters.increment();
            }

            @Override
            public void failed() {
                failures.increment();
            }

            /** Counters stay, so that a restarted worker counts on from where this one stopped. */
            @Override
            public void close() {
                gaugeMeters.forEach(registry::remove);
            }
        };
    }
}
