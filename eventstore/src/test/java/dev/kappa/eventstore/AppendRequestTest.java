package dev.kappa.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class AppendRequestTest {

    private static final NewEvent EVENT = NewEvent.of("payload");

    @Test
    void aRequestToOneStreamHoldsThatStreamAndNoKey() {
        AppendRequest request = AppendRequest.to("s", ExpectedVersion.exactly(3), List.of(EVENT));

        assertThat(request.appends()).containsExactly(new StreamAppend("s", ExpectedVersion.exactly(3), List.of(EVENT)));
        assertThat(request.idempotencyKey()).isNull();
        assertThat(request.requestFingerprint()).isNull();
    }

    @Test
    void anIdempotencyKeyMakesANewRequestAndANullKeyAPlainOne() {
        AppendRequest plain = AppendRequest.to("s", ExpectedVersion.any(), List.of(EVENT));

        AppendRequest keyed = plain.withIdempotencyKey("k", "digest");

        assertThat(keyed).isEqualTo(new AppendRequest(plain.appends(), "k", "digest"));
        assertThat(plain.idempotencyKey()).isNull();
        assertThat(plain.withIdempotencyKey(null, null)).isEqualTo(plain);
        assertThat(keyed.withIdempotencyKey("k")).isEqualTo(new AppendRequest(plain.appends(), "k", null));
    }

    @Test
    void aBadRequestFailsWhenItIsBuilt() {
        StreamAppend a = StreamAppend.of("a", ExpectedVersion.any(), EVENT);

        assertThatThrownBy(() -> AppendRequest.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one StreamAppend");
        assertThatThrownBy(() -> AppendRequest.of(List.of(a, a))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stream 'a' appears twice");
        assertThatThrownBy(() -> AppendRequest.of(List.of(a)).withIdempotencyKey(null, "digest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a request fingerprint needs an idempotency key");
        assertThatThrownBy(() -> AppendRequest.of(List.of(a)).withIdempotencyKey(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("idempotency key must not be blank");
        assertThatThrownBy(() -> ExclusiveAppend.to("s", version -> List.of()).withIdempotencyKey(null, "digest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a request fingerprint needs an idempotency key");
        assertThatThrownBy(() -> ExclusiveAppend.to(" ", version -> List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stream id must not be blank");
    }

    @Test
    void appendedAnswersWithItsFirstResult() {
        Appended appended = new Appended(List.of(new AppendResult("a", 1, 2, 2), new AppendResult("b", 3, 3, 1)),
                false);

        assertThat(appended.result()).isEqualTo(new AppendResult("a", 1, 2, 2));
    }
}
