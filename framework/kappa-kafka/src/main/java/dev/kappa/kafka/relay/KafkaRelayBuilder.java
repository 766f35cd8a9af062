package dev.kappa.kafka.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogSubscriptions;
import dev.kappa.kafka.internal.relay.RelaySettings;
import dev.kappa.kafka.internal.relay.TransactionalRelay;

/** Builds a {@link KafkaRelay}. Not thread-safe. */
public final class KafkaRelayBuilder {

    /** The most records one Kafka transaction carries. */
    public static final int DEFAULT_BATCH_SIZE = 10_000;
    /** The default transactional id: stable, so that a relay started anywhere fences the one before it. */
    public static final String DEFAULT_TRANSACTIONAL_ID = "kappa-relay";
    /** How often a standby instance tries to take over, and the first back-off after a failure. */
    static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(3);

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
    private boolean elect = true;
    private Duration retryInterval = DEFAULT_RETRY_INTERVAL;

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

    /**
     * The most records one Kafka transaction carries; pages of large events carry fewer, so that the relay holds a few
     * tens of megabytes of events at most.
     */
    public KafkaRelayBuilder batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** This instance's name in the relay's log lines and Kafka client ids; a random one unless set. */
    public KafkaRelayBuilder instanceId(String instanceId) {
        this.instanceId = instanceId;
        return this;
    }

    /** The clock of the relay's status and rate; the system's UTC clock unless set. */
    public KafkaRelayBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        return this;
    }

    /** A registry for the relay's metrics (lag, rate, state); none unless set. */
    public KafkaRelayBuilder meterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
        return this;
    }

    /**
     * The relay, not started.
     *
     * @throws IllegalArgumentException if the Kafka properties lack {@code bootstrap.servers}, or one topic is given
     *                                  two parts that need different policies
     */
    public KafkaRelay build() {
        String instance = instanceId != null ? instanceId : UUID.randomUUID().toString().substring(0, 8);
        return new TransactionalRelay(new RelaySettings(dataSource, reader, subscriptions, kafkaProperties, topics,
                transactionalId, batchSize, instance, clock, meterRegistry, elect, retryInterval));
    }

    /** Tests only: every relay built so runs, without election, so that tests can watch two relays fence each other. */
    KafkaRelayBuilder withoutElection() {
        this.elect = false;
        return this;
    }

    /** Tests only: the first back-off after a failure, and how often a standby tries to take over. */
    KafkaRelayBuilder retryInterval(Duration retryInterval) {
        this.retryInterval = Objects.requireNonNull(retryInterval, "retry interval must not be null");
        return this;
    }
}
