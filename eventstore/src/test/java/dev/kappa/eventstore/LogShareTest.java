package dev.kappa.eventstore;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The share of a stream must never change between processes or releases: the log stores its hash. Pinned here. */
class LogShareTest {

    @Test
    void theHashIsTheCrc32OfTheStreamIdsUtf8Bytes() {
        // CRC-32 of "acc-00001" is 165737983 (0x09e0f5ff); of "Zoë" (UTF-8) 1739342378 (0x67ac422a)
        assertThat(LogShare.streamHash("acc-00001")).isEqualTo(165_737_983L);
        assertThat(LogShare.streamHash("Zoë")).isEqualTo(1_739_342_378L);
    }

    @Test
    void aStreamBelongsToTheShareItsHashModuloTheSegmentCountNames() {
        assertThat(LogShare.segmentOf("acc-00001", 4)).isEqualTo(3);
        assertThat(LogShare.segmentOf("acc-00001", 7)).isEqualTo((int) (165_737_983L % 7));
        assertThat(LogShare.segmentOf("Zoë", 10)).isEqualTo(8);
        assertThat(LogShare.of(3, 4).contains("acc-00001")).isTrue();
        assertThat(LogShare.of(2, 4).contains("acc-00001")).isFalse();
    }

    @Test
    void oneSegmentHoldsEveryStream() {
        assertThat(LogShare.segmentOf("anything", 1)).isZero();
        assertThat(LogShare.of(0, 1).contains("anything")).isTrue();
    }

    @Test
    void streamsSpreadOverAllSegments() {
        int[] counts = new int[8];
        for (int i = 0; i < 8_000; i++) {
            counts[LogShare.segmentOf("stream-" + i, 8)]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(800, 1_200);
        }
    }
}
