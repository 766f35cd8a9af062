package dev.kappa.kafka.relay;

/** What a {@link KafkaRelay} is doing. */
public enum RelayState {
    /** Started, not yet decided whether this instance relays. */
    STARTING,
    /**
     * Another instance of the fleet holds the relay's election lock (or fenced this one); this one tries to take over
     * every few seconds.
     */
    STANDBY,
    /** Publishing records that are behind the log's head. */
    RELAYING,
    /** Everything the log held has been published; waiting for appends. */
    CAUGHT_UP,
    /** Kafka cannot be reached or refused a transaction; retrying with back-off. */
    WAITING_FOR_KAFKA,
    /** The PostgreSQL log cannot be read; retrying with back-off. */
    WAITING_FOR_DATABASE,
    /**
     * Stopped for good by a failure that retrying cannot mend: a topic with the wrong cleanup policy, or a topic deleted
     * under the running relay (relaying on would leave a gap). {@link RelayStatus#error()} says what to do. A failed
     * relay stays failed when closed, so that the error stays visible.
     */
    FAILED,
    /** Closed (unless it had failed). */
    STOPPED
}
