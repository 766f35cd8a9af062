package dev.kappa.projections.internal.runtime;

import java.util.Map;
import java.util.OptionalInt;

import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.source.RecordSource;
import dev.kappa.projections.source.RecordSources;

/**
 * Finds the source of a projection that reads a topic instead of the log: the topic its annotation names, or the one
 * the runtime was told for it ({@code kappa.projections.topics.<projection>}), read through the runtime's
 * {@link RecordSources}. Checked at registration, so that a projection that cannot read its topic fails there.
 *
 * <p>Thread-safe.
 */
final class TopicSources {

    private final RecordSources sources;
    private final Map<String, String> topics;

    /**
     * @param sources where topics are read; {@code null} when Kafka is not configured
     * @param topics  topics by projection name, overriding the annotations' (empty: the log)
     */
    TopicSources(RecordSources sources, Map<String, String> topics) {
        this.sources = sources;
        this.topics = topics;
    }

    /**
     * The topic a definition reads and its source, or {@code null} when it reads the log.
     *
     * @throws IllegalArgumentException if it names a topic that cannot be read, or declares what a topic rules out
     */
    Fed of(ProjectionDefinition definition) {
        String name = definition.name();
        String topic = topics.getOrDefault(name, definition.topic()).strip();
        if (topic.isEmpty()) {
            return null;
        }
        String where = definition + " reads topic '" + topic + "'";
        if (sources == null) {
            throw new IllegalArgumentException(where + ", but Kafka is not configured: add kappa-kafka and set"
                    + " spring.kafka.bootstrap-servers (or give ProjectionRuntimeBuilder.recordSources(...)), or remove"
                    + " the topic (@Projection(topic) or kappa.projections.topics." + name + ") to read the log");
        }
        if (definition.inMemory()) {
            throw new IllegalArgumentException(where + " but is in memory: a projection fed by Kafka keeps its read"
                    + " model and positions in PostgreSQL; for an in-memory view of a compacted topic use kappa-kafka's"
                    + " CompactedView");
        }
        RecordSource source = sources.topic(topic, name);
        OptionalInt partitions = source.partitions();
        if (partitions.isPresent() && definition.declaredSegments() > 0
                && definition.declaredSegments() != partitions.getAsInt()) {
            throw new IllegalArgumentException(where + ", which has " + partitions.getAsInt() + " partitions, but"
                    + " declares " + definition.declaredSegments() + " segments: a topic's partitions are its"
                    + " segments; remove segments = " + definition.declaredSegments() + " from @Projection");
        }
        return new Fed(topic, source);
    }

    /** A projection's topic and the source that reads it. */
    record Fed(String topic, RecordSource source) {
    }
}
