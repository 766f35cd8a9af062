package dev.kappa.kafka.internal.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogSubscriptions;
import dev.kappa.kafka.relay.RelayTopics;

/**
 * Everything a relay is built from, as the builder checked it. Immutable.
 *
 * @param dataSource      where the fleet's relay is elected
 * @param reader          reads the log
 * @param subscriptions   wakes the relay when the log grows
 * @param kafkaProperties Kafka client properties ({@code bootstrap.servers}, security, tuning)
 * @param topics          where records and the position go
 * @param transactionalId the producer's transactional id, the same on every instance of the fleet
 * @param batchSize       the most records per Kafka transaction
 * @param instanceId      this instance's name in logs and client ids
 * @param clock           time for the status and the rate
 * @param meterRegistry   a Micrometer {@code MeterRegistry}, or {@code null}; typed {@code Object} so that the relay
 *                        loads without Micrometer
 * @param elect           whether to elect (only tests turn it off, to run two relays at once)
 * @param retryInterval   the first back-off after a failure, and how often a standby instance tries to take over
 */
public record RelaySettings(DataSource dataSource, EventReader reader, LogSubscriptions subscriptions,
                            Map<String, Object> kafkaProperties, RelayTopics topics, String transactionalId,
                            int batchSize, String instanceId, Clock clock, Object meterRegistry, boolean elect,
                            Duration retryInterval) {

    public RelaySettings {
        Objects.requireNonNull(dataSource, "data source must not be null");
        Objects.requireNonNull(reader, "reader must not be null");
        Objects.requireNonNull(subscriptions, "subscriptions must not be null");
        kafkaProperties = Map.copyOf(kafkaProperties);
        Objects.requireNonNull(topics, "topics must not be null");
        Objects.requireNonNull(transactionalId, "transactional id must not be null");
        Objects.requireNonNull(instanceId, "instance id must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(retryInterval, "retry interval must not be null");
        if (kafkaProperties.get("bootstrap.servers") == null
                || kafkaProperties.get("bootstrap.servers").toString().isBlank()) {
            throw new IllegalArgumentException("the relay needs Kafka's bootstrap.servers among its Kafka properties"
                    + " (spring.kafka.bootstrap-servers in a Spring Boot application)");
        }
    }

    /** The bootstrap servers, for messages. */
    String bootstrapServers() {
        Object servers = kafkaProperties.get("bootstrap.servers");
        return servers instanceof Iterable<?> list ? String.join(",", stringsOf(list)) : servers.toString();
    }

    private static List<String> stringsOf(Iterable<?> values) {
        List<String> strings = new ArrayList<>();
        values.forEach(value -> strings.add(String.valueOf(value)));
        return strings;
    }
}
