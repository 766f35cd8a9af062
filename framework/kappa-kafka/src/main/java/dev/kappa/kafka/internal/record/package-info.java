/**
 * Internal: the one mapping between a log record and a Kafka record, used by the relay to publish and by the Kafka
 * source and views to read back, so that both sides agree on every header.
 */
package dev.kappa.kafka.internal.record;
