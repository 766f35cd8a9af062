package dev.kappa.kafka.relay;

import javax.sql.DataSource;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogSubscriptions;

/**
 * Publishes every record of the PostgreSQL log to Kafka, in offset order, exactly once: records and the relay's position
 * go out in one Kafka transaction, and a stable {@code transactional.id} fences any older relay. One instance of a fleet
 * relays at a time (the others stand by); which one is decided by a PostgreSQL advisory lock keyed by the transactional
 * id, held on a connection of the relay's own (so it frees itself when that instance dies). Every record reaches its
 * topic once, in log offset order per partition, after crashes, fencing, broker restarts or lost database connections:
 * the relay always starts again from the position committed with the records.
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

    /**
     * Starts relaying (or standing by) on a thread of the relay's own: creates the absent topics and checks the others
     * first, waiting a few seconds at most. If Kafka cannot be reached, it does not throw: the relay reports
     * {@link RelayState#WAITING_FOR_KAFKA} and keeps trying.
     *
     * @throws RelayTopicException   if a topic exists with the wrong cleanup policy (the relay is then
     *                               {@link RelayState#FAILED})
     * @throws IllegalStateException if started before, or closed
     */
    void start();

    /** What the relay is doing now. */
    RelayStatus status();

    /** Stops relaying, aborting any open transaction; bounded (a few seconds) even while Kafka is away. */
    @Override
    void close();
}
