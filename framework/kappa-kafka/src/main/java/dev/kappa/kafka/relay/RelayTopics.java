package dev.kappa.kafka.relay;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.kappa.eventstore.LogRecord;

/**
 * Where the relay publishes: records with a compaction key go to the compacted topic, keyed by that key; every other
 * record goes to a retained topic keyed by its stream id: the topic of the longest stream-id prefix routed, else the
 * default retained topic. The relay's position goes to a topic of its own. Immutable.
 *
 * @param retained          the default retained topic ({@code cleanup.policy=delete}, {@code retention.ms=-1})
 * @param compacted         the compacted topic ({@code cleanup.policy=compact})
 * @param position          the topic holding the relay's position, written in the same transaction as the records
 *                          (compacted, one partition)
 * @param routes            stream-id prefix → retained topic
 * @param partitions        partitions of each topic the relay creates
 * @param replicationFactor replication of each topic the relay creates; -1 takes the broker's default
 */
public record RelayTopics(String retained, String compacted, String position, Map<String, String> routes,
                          int partitions, short replicationFactor) {

    /** The default retained topic. */
    public static final String DEFAULT_RETAINED = "kappa.log";
    /** The default compacted topic. */
    public static final String DEFAULT_COMPACTED = "kappa.log.compacted";
    /** The default position topic. */
    public static final String DEFAULT_POSITION = "kappa.relay.position";
    /** The default number of partitions of a created topic. */
    public static final int DEFAULT_PARTITIONS = 6;

    public RelayTopics {
        requireName(retained, "retained topic");
        requireName(compacted, "compacted topic");
        requireName(position, "position topic");
        routes = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(routes, "routes must not be null")));
        routes.forEach((prefix, topic) -> {
            if (prefix == null || prefix.isEmpty()) {
                throw new IllegalArgumentException("a route's stream prefix must not be empty");
            }
            requireName(topic, "topic of the route for prefix '" + prefix + "'");
        });
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1 && replicationFactor != -1) {
            throw new IllegalArgumentException("replication factor must be at least 1, or -1 for the broker's default, was "
                    + replicationFactor);
        }
    }

    /** The default topics, partitions and the broker's default replication, no routes. */
    public static RelayTopics defaults() {
        return new RelayTopics(DEFAULT_RETAINED, DEFAULT_COMPACTED, DEFAULT_POSITION, Map.of(), DEFAULT_PARTITIONS,
                (short) -1);
    }

    /** These topics with one more route: streams whose id starts with {@code streamPrefix} go to {@code topic}. */
    public RelayTopics withRoute(String streamPrefix, String topic) {
        Map<String, String> more = new LinkedHashMap<>(routes);
        more.put(streamPrefix, topic);
        return new RelayTopics(retained, compacted, position, more, partitions, replicationFactor);
    }

    /** The topic {@code record} is published to. */
    public String topicFor(LogRecord record) {
        if (record.compactionKey() != null) {
            return compacted;
        }
        String best = null;
        int bestLength = -1;
        for (Map.Entry<String, String> route : routes.entrySet()) {
            if (route.getKey().length() > bestLength && record.streamId().startsWith(route.getKey())) {
                best = route.getValue();
                bestLength = route.getKey().length();
            }
        }
        return best != null ? best : retained;
    }

    private static void requireName(String topic, String what) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException(what + " '" + topic + "' is not a legal Kafka topic name: use at most 249"
                    + " letters, digits, '.', '_' or '-'");
        }
    }
}
