package dev.kappa.kafka.view;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.internal.view.KafkaCompactedView;

/** Builds a {@link CompactedView}. Not thread-safe. */
public final class CompactedViewBuilder<V> {

    private final String topic;
    private final Function<LogRecord, V> decoder;
    private final Map<String, Object> kafkaProperties = new HashMap<>();
    private String name;

    CompactedViewBuilder(String topic, Function<LogRecord, V> decoder) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        this.topic = topic;
        this.decoder = Objects.requireNonNull(decoder, "decoder must not be null");
        this.name = topic;
    }

    /** Kafka consumer properties: {@code bootstrap.servers}, security (Spring Boot's {@code spring.kafka.*}). */
    public CompactedViewBuilder<V> kafkaProperties(Map<String, ?> properties) {
        kafkaProperties.putAll(Objects.requireNonNull(properties, "properties must not be null"));
        return this;
    }

    /** The view's name in logs, health and status; the topic unless set. */
    public CompactedViewBuilder<V> name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        this.name = name;
        return this;
    }

    public CompactedView<V> build() {
        return new KafkaCompactedView<>(name, topic, decoder, kafkaProperties);
    }
}
