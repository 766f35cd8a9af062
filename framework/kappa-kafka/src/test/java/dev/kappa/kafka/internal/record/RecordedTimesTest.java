package dev.kappa.kafka.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RecordedTimesTest {

    @Test
    void readsBackEveryInstantTheRelayWrites() {
        Random random = new Random(12);
        for (int i = 0; i < 100_000; i++) {
            // whole seconds, millis, micros and nanos: Instant.toString drops trailing zero groups
            long seconds = random.nextLong(-2_000_000_000L, 8_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant time = Instant.ofEpochSecond(seconds, nanos);

            assertThat(RecordedTimes.parse(time.toString())).isEqualTo(time);
        }
    }

    @Test
    void leavesOtherIsoShapesToInstantParse() {
        assertThat(RecordedTimes.parse("+12026-01-01T00:00:00Z")).isEqualTo(Instant.parse("+12026-01-01T00:00:00Z"));
        assertThat(RecordedTimes.parse("2026-11-30T17:20:55.5Z")).isEqualTo(Instant.parse("2026-11-30T17:20:55.5Z"));
    }

    @Test
    void refusesWhatIsNoInstant() {
        assertThatThrownBy(() -> RecordedTimes.parse("2026-13-30T17:20:55Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> RecordedTimes.parse("2026-11-3xT17:20:55Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> RecordedTimes.parse("2026-11-31T17:20:55Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> RecordedTimes.parse("yesterday")).isInstanceOf(DateTimeParseException.class);
    }
}
