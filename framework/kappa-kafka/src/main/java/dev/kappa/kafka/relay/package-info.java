/**
 * The relay: publishes every record of Kappa's PostgreSQL log to Kafka topics, in offset order, exactly once, with a
 * transactional producer that writes its position in the same Kafka transaction as the records.
 */
package dev.kappa.kafka.relay;
