/**
 * Kappa on Apache Kafka: the PostgreSQL log relayed to Kafka topics exactly once ({@code relay}), projections fed from
 * those topics ({@code source}) and in-memory views loaded from a compacted topic in every instance ({@code view}).
 *
 * <p>This package holds what every part shares and what other systems reading Kappa's topics rely on: the headers each
 * relayed record carries ({@link dev.kappa.kafka.KappaHeaders}).
 */
package dev.kappa.kafka;
