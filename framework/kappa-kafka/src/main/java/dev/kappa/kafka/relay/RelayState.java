package dev.kappa.kafka.relay;

/** What a {@link KafkaRelay} is doing. */
public enum RelayState {
    /** Started, not yet decided whether this instance relays. */
    STARTING,
    /** Another instance of the fleet holds the relay's lease; this one waits to take over. */
    STANDBY,
    /** Publishing records that are behind the log's head. */
    RELAYING,
    /** Everything the log held has been published; waiting for appends. */
    CAUGHT_UP,
    /** Kafka cannot be reached or refused a transaction; retrying with back-off. */
    WAITING_FOR_KAFKA,
    /** The PostgreSQL log cannot be read; retrying with back-off. */
    WAITING_FOR_DATABASE,
    /** Stopped for good by a failure that retrying cannot mend (a topic with the wrong policy, fenced by a newer relay that keeps running, bad configuration): see {@link RelayStatus#error()}. */
    FAILED,
    /** Closed. */
    STOPPED
}
