package dev.kappa.boot.autoconfigure.kafka;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.kappa.kafka.relay.RelayTopics;

/**
 * The Kafka topics Kappa writes and reads: where the relay publishes, and where Kafka-fed projections look for the
 * relay's position.
 *
 * @param retained          The topic records without a compaction key go to, keyed by stream id (cleanup.policy=delete,
 *                          retention.ms=-1), unless a route names another.
 * @param compacted         The topic records with a compaction key go to, keyed by that key (cleanup.policy=compact);
 *                          a tombstone becomes a Kafka tombstone.
 * @param position          The topic holding the relay's position, written in the same Kafka transaction as the
 *                          records; Kafka-fed projections read it to wait for a log offset.
 * @param partitions        How many partitions the relay gives each topic it creates. Each stream keeps to one
 *                          partition; the partitions of a topic are the segments of the projections that read it.
 * @param replicationFactor How many replicas the relay gives each topic it creates; -1 takes the broker's default.
 * @param routes            Stream-id prefix to retained topic: streams whose id starts with the prefix go to that topic
 *                          instead of the retained one (the longest matching prefix wins). Write a prefix with
 *                          capitals or dots in brackets: kappa.kafka.topics.routes[Account-]=accounts.
 */
@ConfigurationProperties("kappa.kafka.topics")
public record KappaKafkaTopicsProperties(
        @DefaultValue(RelayTopics.DEFAULT_RETAINED) String retained,
        @DefaultValue(RelayTopics.DEFAULT_COMPACTED) String compacted,
        @DefaultValue(RelayTopics.DEFAULT_POSITION) String position,
        @DefaultValue("6") int partitions,
        @DefaultValue("-1") short replicationFactor,
        Map<String, String> routes) {

    /**
     * @throws IllegalArgumentException if a topic name is not one Kafka allows, or a number is out of range: checked
     *                                  here so that the start fails naming these properties
     */
    public KappaKafkaTopicsProperties {
        routes = routes == null ? Map.of() : Map.copyOf(routes);
        relayTopics(retained, compacted, position, partitions, replicationFactor, routes);
    }

    /** The relay's topics these settings describe; checked by {@link RelayTopics} (legal names, partitions). */
    RelayTopics relayTopics() {
        return relayTopics(retained, compacted, position, partitions, replicationFactor, routes);
    }

    private static RelayTopics relayTopics(String retained, String compacted, String position, int partitions,
                                           short replicationFactor, Map<String, String> routes) {
        RelayTopics topics = new RelayTopics(retained, compacted, position, Map.of(), partitions, replicationFactor);
        for (Map.Entry<String, String> route : routes.entrySet()) {
            topics = topics.withRoute(route.getKey(), route.getValue());
        }
        return topics;
    }
}
