package dev.kappa.kafka.source;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import dev.kappa.projections.source.RecordSource;
import dev.kappa.projections.source.RecordSources;

/**
 * The record sources of projections that read a Kafka topic ({@code @Projection(topic = ...)}): one
 * {@link RecordSource} per topic, whose partitions are the projection's segments. Given to the projection runtime with
 * {@code ProjectionRuntimeBuilder.recordSources(...)}.
 *
 * <p>Thread-safe.
 */
public final class KafkaRecordSources implements RecordSources {

    /** Prefix of the consumer group in whose name positions are mirrored to Kafka: {@code kappa.<projection>}. */
    public static final String GROUP_PREFIX = "kappa.";

    private final Map<String, Object> kafkaProperties;
    private final String positionTopic;

    /**
     * @param kafkaProperties Kafka consumer properties: {@code bootstrap.servers}, security (Spring Boot's
     *                        {@code spring.kafka.*})
     * @param positionTopic   the relay's position topic, read to answer {@code awaitCheckpoint} by log offset
     */
    public KafkaRecordSources(Map<String, ?> kafkaProperties, String positionTopic) {
        this.kafkaProperties = new HashMap<>(Objects.requireNonNull(kafkaProperties, "properties must not be null"));
        this.positionTopic = Objects.requireNonNull(positionTopic, "position topic must not be null");
    }

    @Override
    public RecordSource topic(String topic, String projection) {
        throw new UnsupportedOperationException("Kafka-fed projections are being built (issue 12)");
    }
}
