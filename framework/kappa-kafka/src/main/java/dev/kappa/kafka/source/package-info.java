/**
 * Projections fed from Kafka: a {@link dev.kappa.projections.source.RecordSource} over a topic the relay writes, whose
 * partitions are the projection's segments and whose positions are kept in PostgreSQL with the read model.
 */
package dev.kappa.kafka.source;
