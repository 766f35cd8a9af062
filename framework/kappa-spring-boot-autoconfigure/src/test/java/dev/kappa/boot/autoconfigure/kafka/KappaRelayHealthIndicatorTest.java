package dev.kappa.boot.autoconfigure.kafka;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.health.contributor.Health;

import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayState;
import dev.kappa.kafka.relay.RelayStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code kappaRelay} says in each of the relay's states, as docs/kafka.md lists them. */
class KappaRelayHealthIndicatorTest {

    @ParameterizedTest
    @CsvSource({"FAILED, DOWN", "WAITING_FOR_KAFKA, OUT_OF_SERVICE", "WAITING_FOR_DATABASE, OUT_OF_SERVICE",
            "RELAYING, UP", "CAUGHT_UP, UP", "STANDBY, UP", "STARTING, UNKNOWN", "STOPPED, UNKNOWN"})
    void eachStateHasItsHealth(RelayState state, String expected) {
        String error = state.name().startsWith("WAITING") || state == RelayState.FAILED ? "broker away" : null;
        RelayStatus status = new RelayStatus(state, 10, 25, 3.0, Instant.parse("2026-11-30T12:00:00Z"), error);

        Health health = new KappaRelayHealthIndicator(relay(status)).health(true);

        assertThat(health.getStatus().getCode()).isEqualTo(expected);
        assertThat(health.getDetails()).containsEntry("state", state).containsEntry("relayedOffset", 10L)
                .containsEntry("head", 25L).containsEntry("lag", 15L).containsEntry("since", "2026-11-30T12:00:00Z");
        if (error != null) {
            assertThat(health.getDetails()).containsEntry("error", "broker away");
        } else {
            assertThat(health.getDetails()).doesNotContainKey("error");
        }
    }

    private static KafkaRelay relay(RelayStatus status) {
        return new KafkaRelay() {
            @Override
            public void start() {
            }

            @Override
            public RelayStatus status() {
                return status;
            }

            @Override
            public void close() {
            }
        };
    }
}
