package dev.kappa.boot.autoconfigure.kafka;

import java.util.Map;

import dev.kappa.projections.source.RecordSource;
import dev.kappa.projections.source.RecordSources;

/**
 * The record sources the projection runtime gets: Kafka's, with {@code kappa.projections.topics.<projection>} in
 * place of the topic a projection names in {@code @Projection(topic)}, so that an environment can point a projection
 * at a topic of its own (a staging copy, a topic routed by stream prefix) without a code change.
 *
 * <p>Thread-safe.
 */
final class ProjectionTopics implements RecordSources {

    private final RecordSources kafka;
    private final Map<String, String> overrides;

    ProjectionTopics(RecordSources kafka, Map<String, String> overrides) {
        this.kafka = kafka;
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public RecordSource topic(String topic, String projection) {
        return kafka.topic(overrides.getOrDefault(projection, topic), projection);
    }
}
