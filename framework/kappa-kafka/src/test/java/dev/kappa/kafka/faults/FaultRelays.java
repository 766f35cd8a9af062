package dev.kappa.kafka.faults;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.awaitility.Awaitility;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventStore;
import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayTopics;

/**
 * What the fault tests' relays share, in the test JVM and in {@link RelayProcessMain}'s child: the codec, the topics
 * (fresh names per test, a route for {@link LogWriters#ROUTED_PREFIX}, 3 partitions, replication 1) and how a relay is
 * built.
 */
final class FaultRelays {

    static final int PARTITIONS = 3;

    private FaultRelays() {
    }

    static EventCodec codec() {
        return EventCodec.builder().register(Noted.class).build();
    }

    static EventStore store(DataSource dataSource) {
        return EventStore.builder(dataSource).codec(codec()).build();
    }

    /** Topics of their own for one test: {@code <name>.<random>.log} and the like. */
    static RelayTopics topics(String name) {
        String prefix = name + "." + UUID.randomUUID().toString().substring(0, 8);
        return new RelayTopics(prefix + ".log", prefix + ".compacted", prefix + ".position",
                Map.of(LogWriters.ROUTED_PREFIX, prefix + ".audit"), PARTITIONS, (short) 1);
    }

    /** A relay (not started) over {@code store}'s log. */
    static KafkaRelay relay(DataSource dataSource, EventStore store, String bootstrapServers, RelayTopics topics,
                            String transactionalId, String instanceId) {
        return KafkaRelay.builder(dataSource, store, store)
                .kafkaProperties(Map.of("bootstrap.servers", bootstrapServers))
                .topics(topics)
                .transactionalId(transactionalId)
                .instanceId(instanceId)
                .build();
    }

    /** Waits until {@code relay} reports the log's head as relayed. */
    static void awaitCaughtUp(KafkaRelay relay, EventStore store, Duration limit) {
        long head = store.head();
        Awaitility.await("the relay reaching log offset " + head).atMost(limit).pollInterval(Duration.ofMillis(200))
                .until(() -> relay.status().relayedOffset() >= head);
    }
}
