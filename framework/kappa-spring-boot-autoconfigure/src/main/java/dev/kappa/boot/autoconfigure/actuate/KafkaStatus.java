package dev.kappa.boot.autoconfigure.actuate;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What this instance's Kafka parts report to the {@code kappa} actuator endpoint: the relay, if it runs one, and the
 * compacted views. A bean when Kafka is configured; the endpoint shows neither without it. (Plain values, so that the
 * endpoint loads without {@code kappa-kafka} on the class path.)
 */
public interface KafkaStatus {

    /** The relay's status; null when this instance runs no relay ({@code kappa.kafka.relay.enabled} is off). */
    @Nullable Relay relay();

    /** Every compacted view the application made, in the order it made them. */
    List<View> views();

    /**
     * The relay, as the endpoint shows it.
     *
     * @param state           STARTING, STANDBY (another instance relays), RELAYING, CAUGHT_UP, WAITING_FOR_KAFKA,
     *                        WAITING_FOR_DATABASE, FAILED or STOPPED
     * @param relayedOffset   the last log offset known to be committed to Kafka; -1 while unknown
     * @param head            the log's head as the relay last read it; -1 while unknown
     * @param lag             head minus relayed offset; -1 while either is unknown
     * @param eventsPerSecond records published per second, over the last minute
     * @param since           when the relay entered its state
     * @param error           what keeps it waiting or made it fail; null otherwise
     */
    record Relay(String state, long relayedOffset, long head, long lag, double eventsPerSecond,
                 @Nullable Instant since, @Nullable String error) {
    }

    /**
     * A compacted view, as the endpoint shows it.
     *
     * @param name        the view's name
     * @param topic       the compacted topic it holds
     * @param ready       whether it has loaded what the topic held when it started
     * @param keys        how many keys it holds
     * @param recordsRead records read since start
     * @param lag         records it has yet to read, as last seen; -1 while unknown
     * @param error       why it cannot read the topic now; null while it can
     */
    record View(String name, String topic, boolean ready, long keys, long recordsRead, long lag,
                @Nullable String error) {
    }
}
