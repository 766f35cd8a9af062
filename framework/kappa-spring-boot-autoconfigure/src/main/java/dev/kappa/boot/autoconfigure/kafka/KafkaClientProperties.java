package dev.kappa.boot.autoconfigure.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * The Kafka client properties Kappa's clients get from Spring Boot's {@code spring.kafka.*}: servers, client id,
 * security, SSL and {@code spring.kafka.properties.*}, with the producer's or the consumer's own settings. What Kappa's
 * clients must decide themselves (how keys and values are (de)serialized, the consumer group) is left out, since
 * Spring Boot's defaults for them (String (de)serializers) serve the application's own clients, not Kappa's.
 */
final class KafkaClientProperties {

    private static final Set<String> KAPPAS_OWN = Set.of("key.serializer", "value.serializer", "key.deserializer",
            "value.deserializer", "group.id");

    private KafkaClientProperties() {
    }

    /** For the relay: its producer, admin client and position reader. */
    static Map<String, Object> producer(KafkaProperties properties) {
        return withoutKappasOwn(properties.buildProducerProperties());
    }

    /**
     * For Kafka-fed projections and compacted views: their consumers, which never create a topic. A broker creates a
     * topic a consumer asks for unless told not to (its default), with the broker's default policy: a view started
     * before the relay would then make the compacted topic with {@code cleanup.policy=delete}, which the relay refuses.
     */
    static Map<String, Object> consumer(KafkaProperties properties) {
        Map<String, Object> consumer = withoutKappasOwn(properties.buildConsumerProperties());
        consumer.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return consumer;
    }

    private static Map<String, Object> withoutKappasOwn(Map<String, Object> properties) {
        Map<String, Object> kept = new HashMap<>(properties);
        kept.keySet().removeAll(KAPPAS_OWN);
        return kept;
    }
}
