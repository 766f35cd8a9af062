package dev.kappa.kafka.relay;

import javax.sql.DataSource;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogSubscriptions;

/**
 * Publishes every record of the PostgreSQL log to Kafka, in offset order, exactly once: records and the relay's position
 * go out in one Kafka transaction, and a stable {@code transactional.id} fences any older relay. One instance of a fleet
 * relays at a time (the others stand by); which one is decided by a lease in PostgreSQL.
 *
 * <p>Thread-safe. {@link #start()} returns at once; the relay runs on a thread of its own until {@link #close()}.
 */
public interface KafkaRelay extends AutoCloseable {

    /**
     * A builder for a relay over the log that {@code reader} reads, woken by {@code subscriptions}' notifications,
     * electing the fleet's relay in {@code dataSource}.
     */
    static KafkaRelayBuilder builder(DataSource dataSource, EventReader reader, LogSubscriptions subscriptions) {
        return new KafkaRelayBuilder(dataSource, reader, subscriptions);
    }

    /** Starts relaying (or standing by): creates or checks the topics first, and throws if they are unusable. */
    void start();

    /** What the relay is doing now. */
    RelayStatus status();

    /** Stops relaying, aborting any open transaction; bounded (a few seconds) even while Kafka is away. */
    @Override
    void close();
}
