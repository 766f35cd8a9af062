/**
 * Internal: a Kafka topic the relay writes as a projection's {@link dev.kappa.projections.source.RecordSource}. Each
 * segment reads one partition with a consumer of its own ({@code assign}), {@code read_committed}, without auto-commit;
 * a {@code GroupMembership} per projection, subscribed but never fetching, lets Kafka's consumer group decide which
 * instance processes which partition, while Kappa's leases in PostgreSQL still fence the commits. Positions are kept
 * with the read model, and only mirrored to the consumer group for Kafka's tools. The relay's
 * position topic, followed here, turns a log offset into the end offsets a read-your-writes wait waits for.
 */
package dev.kappa.kafka.internal.source;
