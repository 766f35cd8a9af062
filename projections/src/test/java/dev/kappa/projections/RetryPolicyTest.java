package dev.kappa.projections;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    @Test
    void theDelayDoublesUpToItsCap() {
        RetryPolicy policy = RetryPolicy.backOff(10, Duration.ofMillis(100), Duration.ofMillis(500));

        assertThat(policy.delayBefore(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.delayBefore(1_000)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void noRetryMeansOneAttempt() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> RetryPolicy.backOff(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max attempts must be at least 1 but was 0");
        assertThatThrownBy(() -> RetryPolicy.backOff(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max delay PT1S must not be shorter than initial delay PT2S");
        assertThatThrownBy(() -> RetryPolicy.backOff(3, Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initial delay must not be negative but was PT-1S");
    }
}
