package dev.kappa.boot.autoconfigure.kafka;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayStatus;

/**
 * The relay's health, {@code kappaRelay}: DOWN when it has FAILED (it stopped for good: a topic it cannot use, or
 * one deleted under it); OUT_OF_SERVICE while it waits for Kafka or for the database (it retries by itself, and the
 * log keeps every record meanwhile, but Kafka falls behind); UP while it relays, has caught up or stands by for
 * another instance; UNKNOWN while it starts or after it stopped. Details: state, relayed offset, head, lag, rate,
 * since when, and the error.
 */
public class KappaRelayHealthIndicator extends AbstractHealthIndicator {

    private final KafkaRelay relay;

    public KappaRelayHealthIndicator(KafkaRelay relay) {
        super("Kappa relay health check failed");
        this.relay = relay;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        RelayStatus status = relay.status();
        Status health = switch (status.state()) {
            case FAILED -> Status.DOWN;
            case WAITING_FOR_KAFKA, WAITING_FOR_DATABASE -> Status.OUT_OF_SERVICE;
            case RELAYING, CAUGHT_UP, STANDBY -> Status.UP;
            case STARTING, STOPPED -> Status.UNKNOWN;
        };
        builder.status(health)
                .withDetail("state", status.state())
                .withDetail("relayedOffset", status.relayedOffset())
                .withDetail("head", status.logHead())
                .withDetail("lag", status.lag())
                .withDetail("eventsPerSecond", status.eventsPerSecond());
        if (status.since() != null) {
            builder.withDetail("since", status.since().toString());
        }
        if (status.error() != null) {
            builder.withDetail("error", status.error());
        }
    }
}
