/**
 * Internal: the relay's loop (a transactional producer publishing pages of the log with the relay's position in the
 * same Kafka transaction), the election of the fleet's relay, the position topic, and the relay's rate and metrics.
 */
package dev.kappa.kafka.internal.relay;
