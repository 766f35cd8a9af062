package dev.kappa.projections.internal.worker;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.source.SourcePage;

/**
 * Micrometer observations of projection batches ({@value #BATCH}), one per batch, never one per event, with the
 * projection's name and the segment as low-cardinality key values. A batch is a receiver observation: it continues
 * the trace whose context (see {@link #CONTEXT_KEYS}) the first record of its first page that carries one has in its
 * metadata entries, as the append that wrote it put it there. A batch that holds records of several traces continues
 * the first one's; the others' records are applied in it all the same. The observation is current while the handlers
 * run, so that what they observe (a reactor's commands) becomes its child. With a registry that observes nothing
 * ({@link ObservationRegistry#isNoop()}), the batch simply runs.
 *
 * <p>Thread-safe: it holds nothing but the registry and the segment's names.
 */
final class BatchObservations {

    static final String BATCH = "kappa.projection.batch";
    /**
     * The metadata keys that tell that a record carries trace context, those of the propagation formats tracing
     * bridges write by default: W3C's {@code traceparent}, B3's single {@code b3} and multiple {@code X-B3-TraceId}.
     */
    static final Set<String> CONTEXT_KEYS = Set.of("traceparent", "b3", "X-B3-TraceId");

    private final ObservationRegistry registry;
    private final String projection;
    private final String segment;

    BatchObservations(ObservationRegistry registry, SegmentKey key) {
        this.registry = registry;
        this.projection = key.projection();
        this.segment = Integer.toString(key.segment());
    }

    /** Whether nothing is observed: the batch can run as it is. */
    boolean off() {
        return registry.isNoop();
    }

    /** Applies a batch that begins with {@code first}, observed unless the page is empty. */
    Outcome observe(SourcePage first, long from, Supplier<Outcome> batch) {
        if (registry.isNoop() || first.records().isEmpty()) {
            return batch.get();
        }
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>(
                (entries, key) -> entries.get(key), Kind.CONSUMER);
        context.setCarrier(traceContextOf(first.records()));
        context.setRemoteServiceName("kappa-log");
        Observation observation = Observation.createNotStarted(BATCH, () -> context, registry)
                .lowCardinalityKeyValue("kappa.projection", projection)
                .lowCardinalityKeyValue("kappa.segment", segment)
                .highCardinalityKeyValue("kappa.from", Long.toString(from))
                .start();
        Outcome outcome = null;
        try (Observation.Scope scope = observation.openScope()) {
            outcome = batch.get();
            return outcome;
        } finally {
            observation.lowCardinalityKeyValue("kappa.outcome", outcomeName(outcome));
            Throwable failure = failureOf(outcome);
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        }
    }

    /** The metadata entries of the first record that carries trace context; none if no record does. */
    private static Map<String, String> traceContextOf(List<LogRecord> records) {
        for (int i = 0, n = records.size(); i < n; i++) {
            Map<String, String> entries = records.get(i).metadata().entries();
            if (!entries.isEmpty()) {
                for (String key : CONTEXT_KEYS) {
                    if (entries.containsKey(key)) {
                        return entries;
                    }
                }
            }
        }
        return Map.of();
    }

    private static String outcomeName(Outcome outcome) {
        if (outcome instanceof Outcome.Applied) {
            return "applied";
        }
        if (outcome instanceof Outcome.EventFailed) {
            return "event-failed";
        }
        if (outcome instanceof Outcome.Fenced) {
            return "fenced";
        }
        if (outcome instanceof Outcome.Interrupted) {
            return "interrupted";
        }
        return "failure";
    }

    private static Throwable failureOf(Outcome outcome) {
        if (outcome instanceof Outcome.EventFailed failed) {
            return failed.cause();
        }
        if (outcome instanceof Outcome.BatchFailed failed) {
            return failed.cause();
        }
        if (outcome instanceof Outcome.Interrupted interrupted) {
            return interrupted.cause();
        }
        return null;
    }
}
