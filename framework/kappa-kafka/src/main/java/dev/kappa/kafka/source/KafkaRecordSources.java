package dev.kappa.kafka.source;

import java.util.Map;
import java.util.Objects;

import dev.kappa.kafka.internal.source.KafkaTopics;
import dev.kappa.projections.source.RecordSource;
import dev.kappa.projections.source.RecordSources;

/**
 * The record sources of projections that read a Kafka topic ({@code @Projection(topic = ...)}): one
 * {@link RecordSource} per topic, whose partitions are the projection's segments. Given to the projection runtime with
 * {@code ProjectionRuntimeBuilder.recordSources(...)}.
 *
 * <p>Each instance is a member of the consumer group {@code kappa.<projection>}, which spreads the topic's partitions
 * over the instances and moves them on rebalance; an instance processes (holds Kappa's PostgreSQL lease on) only the
 * partitions the group assigns it, and the lease still fences the commits. Each segment reads its partition with a
 * consumer of its own, assigned, read_committed, without auto-commit. A segment's position (the next offset to fetch)
 * is its checkpoint, committed with the read model in PostgreSQL: that is the truth. After each commit of the
 * generation readers use it is mirrored to the group, so that {@code kafka-consumer-groups --describe} shows the lag;
 * it is never read back.
 *
 * <p>Thread-safe. {@link #close()} it after the runtime that uses it.
 */
public final class KafkaRecordSources implements RecordSources, AutoCloseable {

    /** Prefix of the consumer group in whose name positions are mirrored to Kafka: {@code kappa.<projection>}. */
    public static final String GROUP_PREFIX = "kappa.";

    private final KafkaTopics topics;

    /**
     * @param kafkaProperties Kafka consumer properties: {@code bootstrap.servers}, security (Spring Boot's
     *                        {@code spring.kafka.*}); those that are not consumer or admin settings are left out, and
     *                        Kappa sets group, isolation, auto-commit and offset reset itself
     * @param positionTopic   the relay's position topic, read to answer {@code awaitCheckpoint} by log offset
     * @throws IllegalArgumentException if the properties give no {@code bootstrap.servers}, or the topic is blank
     */
    public KafkaRecordSources(Map<String, ?> kafkaProperties, String positionTopic) {
        Objects.requireNonNull(kafkaProperties, "properties must not be null");
        Objects.requireNonNull(positionTopic, "position topic must not be null");
        if (positionTopic.isBlank()) {
            throw new IllegalArgumentException("position topic must not be blank");
        }
        Object servers = kafkaProperties.get("bootstrap.servers");
        if (servers == null || servers.toString().isBlank()) {
            throw new IllegalArgumentException("the Kafka properties give no bootstrap.servers: set"
                    + " spring.kafka.bootstrap-servers (or bootstrap.servers) to the brokers the relay writes to");
        }
        this.topics = new KafkaTopics(kafkaProperties, positionTopic, GROUP_PREFIX);
    }

    /**
     * Looks the topic up on Kafka (its partition count is the projection's segment count).
     *
     * @throws IllegalArgumentException if the topic does not exist, saying what to do
     * @throws IllegalStateException    if Kafka does not answer
     */
    @Override
    public RecordSource topic(String topic, String projection) {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(projection, "projection must not be null");
        return topics.source(topic, projection);
    }

    /** Stops following the relay's position and closes the clients shared by the sources. */
    @Override
    public void close() {
        topics.close();
    }
}
