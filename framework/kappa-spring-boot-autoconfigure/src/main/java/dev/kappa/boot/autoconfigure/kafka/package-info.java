/**
 * Auto-configuration of Kappa on Kafka, on when {@code kappa-kafka} is on the class path and
 * {@code spring.kafka.bootstrap-servers} is set: the relay ({@code kappa.kafka.relay.enabled}), its topics
 * ({@code kappa.kafka.topics.*}), the sources of Kafka-fed projections ({@code @Projection(topic)},
 * {@code kappa.projections.topics.*}) and {@link dev.kappa.boot.autoconfigure.kafka.CompactedViews}, the factory of
 * in-memory views of compacted topics. The relay's health indicator is {@code kappaRelay}; the {@code kappa} actuator
 * endpoint shows the relay and the views.
 */
package dev.kappa.boot.autoconfigure.kafka;
