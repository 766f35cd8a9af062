package dev.kappa.boot.autoconfigure.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the relay that publishes this application's log to Kafka.
 *
 * @param enabled         Whether this application relays its log to Kafka. Off by default: an application that only
 *                        reads Kafka (Kafka-fed projections, compacted views) must not publish its own, empty log.
 *                        Every instance that has it on competes for one lease: one relays, the others stand by.
 * @param transactionalId The Kafka transactional id of the relay's producer: the same on every instance relaying one
 *                        log, so that a relay starting anywhere fences the one before it. Give each log its own.
 * @param batchSize       The most records one Kafka transaction carries.
 */
@ConfigurationProperties("kappa.kafka.relay")
public record KappaKafkaRelayProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("kappa-relay") String transactionalId,
        @DefaultValue("10000") int batchSize) {

    /** @throws IllegalArgumentException if the transactional id is blank or the batch size below 1 */
    public KappaKafkaRelayProperties {
        if (transactionalId == null || transactionalId.isBlank()) {
            throw new IllegalArgumentException("kappa.kafka.relay.transactional-id must not be blank: give the relay"
                    + " of each log a transactional id of its own");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("kappa.kafka.relay.batch-size must be at least 1, was " + batchSize);
        }
    }
}
