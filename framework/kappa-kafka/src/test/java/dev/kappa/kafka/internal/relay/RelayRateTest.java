package dev.kappa.kafka.internal.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RelayRateTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theRateIsTheAverageOverTheTimeSinceStartWhileThatIsShorterThanAMinute() {
        ManualClock clock = new ManualClock();
        RelayRate rate = new RelayRate(clock);

        rate.add(1_000);
        clock.now = clock.now.plusSeconds(1);
        rate.add(3_000);

        assertThat(rate.perSecond()).isCloseTo(2_000, within(0.1));
    }

    @Test
    void recordsOlderThanAMinuteNoLongerCount() {
        ManualClock clock = new ManualClock();
        RelayRate rate = new RelayRate(clock);
        rate.add(60_000);
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        rate.add(600);

        assertThat(rate.perSecond()).isCloseTo(10, within(0.1));
        clock.now = clock.now.plus(Duration.ofSeconds(60));
        assertThat(rate.perSecond()).isZero();
    }
}
