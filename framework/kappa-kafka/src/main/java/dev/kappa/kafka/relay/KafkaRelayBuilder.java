package dev.kappa.kafka.relay;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogSubscriptions;

/** Builds a {@link KafkaRelay}. Not thread-safe. */
public final class KafkaRelayBuilder {

    /** The most records one Kafka transaction carries. */
    public static final int DEFAULT_BATCH_SIZE = 10_000;
    /** The default transactional id: stable, so that a relay started anywhere fences the one before it. */
    public static final String DEFAULT_TRANSACTIONAL_ID = "kappa-relay";

    private final DataSource dataSource;
    private final EventReader reader;
    private final LogSubscriptions subscriptions;
    private final Map<String, Object> kafkaProperties = new HashMap<>();
    private RelayTopics topics = RelayTopics.defaults();
    private String transactionalId = DEFAULT_TRANSACTIONAL_ID;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Clock clock = Clock.systemUTC();
    /** A MeterRegistry, kept as Object so that the class loads without Micrometer. */
    private Object meterRegistry;
    private String instanceId;

    KafkaRelayBuilder(DataSource dataSource, EventReader reader, LogSubscriptions subscriptions) {
        this.dataSource = Objects.requireNonNull(dataSource, "data source must not be null");
        this.reader = Objects.requireNonNull(reader, "reader must not be null");
        this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions must not be null");
    }

    /**
     * Kafka client properties shared by the relay's producer, admin client and position reader:
     * {@code bootstrap.servers}, security and the like (Spring Boot's {@code spring.kafka.*}). The relay sets the
     * transactional, idempotence and serializer properties itself.
     */
    public KafkaRelayBuilder kafkaProperties(Map<String, ?> properties) {
        kafkaProperties.putAll(Objects.requireNonNull(properties, "properties must not be null"));
        return this;
    }

    /** Where records and the position go; {@link RelayTopics#defaults()} unless set. */
    public KafkaRelayBuilder topics(RelayTopics topics) {
        this.topics = Objects.requireNonNull(topics, "topics must not be null");
        return this;
    }

    /** The producer's {@code transactional.id}; the same on every instance of a fleet relaying one log. */
    public KafkaRelayBuilder transactionalId(String transactionalId) {
        if (transactionalId == null || transactionalId.isBlank()) {
            throw new IllegalArgumentException("transactional id must not be blank");
        }
        this.transactionalId = transactionalId;
        return this;
    }

    /** The most records one Kafka transaction carries. */
    public KafkaRelayBuilder batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** This instance's id in the relay's lease and status; a random one unless set. */
    public KafkaRelayBuilder instanceId(String instanceId) {
        this.instanceId = instanceId;
        return this;
    }

    public KafkaRelayBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        return this;
    }

    /** A registry for the relay's metrics (lag, rate, state); none unless set. */
    public KafkaRelayBuilder meterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
        return this;
    }

    public KafkaRelay build() {
        throw new UnsupportedOperationException("the relay is being built (issue 12)");
    }
}
