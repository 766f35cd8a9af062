package dev.kappa.kafka.relay;

import java.time.Instant;

/**
 * A snapshot of a relay, for health, metrics and the actuator endpoint.
 *
 * @param state          what the relay is doing
 * @param relayedOffset  the last log offset known to be committed to Kafka, 0 before the first; -1 while unknown (standby
 *                       instances and a relay that has not read its position yet)
 * @param logHead        the log's head as last read, -1 while unknown
 * @param eventsPerSecond records published per second, averaged over the last minute
 * @param since          when the relay entered {@code state}
 * @param error          the failure behind {@code WAITING_FOR_*} or {@code FAILED}, described for an operator; {@code null}
 *                       otherwise
 */
public record RelayStatus(RelayState state, long relayedOffset, long logHead, double eventsPerSecond, Instant since,
                          String error) {

    /** Log head minus relayed offset; -1 while either is unknown. */
    public long lag() {
        return relayedOffset < 0 || logHead < 0 ? -1 : Math.max(0, logHead - relayedOffset);
    }
}
