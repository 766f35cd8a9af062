package dev.kappa.boot.autoconfigure.kafka;

import dev.kappa.kafka.relay.KafkaRelayBuilder;

/**
 * Adjusts the auto-configured relay before it is built (a clock, an instance id, Kafka properties beyond
 * {@code spring.kafka.*}). Define one as a bean.
 */
@FunctionalInterface
public interface KappaKafkaRelayCustomizer {

    /** Adjusts the relay's settings. */
    void customize(KafkaRelayBuilder builder);
}
