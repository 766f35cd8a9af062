package dev.kappa.kafka.testing;

import java.util.HashMap;
import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A one-node KRaft broker in the test JVM, set up for transactions on one node: start one per test class (static,
 * {@code @BeforeAll}) and {@link #stop()} it after the class.
 */
public final class KafkaTestBroker {

    private final EmbeddedKafkaKraftBroker broker;

    private KafkaTestBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    /** Starts a broker with default settings for one node. */
    public static KafkaTestBroker start() {
        return start(Map.of());
    }

    /** Starts a broker with default settings for one node, and {@code settings} on top. */
    public static KafkaTestBroker start(Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "4",
                "offsets.topic.replication.factor", "1",
                "offsets.topic.num.partitions", "4",
                "group.initial.rebalance.delay.ms", "0"));
        properties.putAll(settings);
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(properties);
        broker.afterPropertiesSet();
        return new KafkaTestBroker(broker);
    }

    /** {@code host:port} of the broker. */
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    /** Client properties that reach the broker. */
    public Map<String, Object> clientProperties() {
        return Map.of("bootstrap.servers", bootstrapServers());
    }

    /** Stops the broker and removes its files. */
    public void stop() {
        broker.destroy();
    }
}
