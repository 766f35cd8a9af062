package dev.kappa.projections;

import org.junit.jupiter.api.Test;

import dev.kappa.projections.internal.log.SegmentHash;

import static org.assertj.core.api.Assertions.assertThat;

/** The segment of a stream must never change between processes or releases: it is pinned here. */
class SegmentHashTest {

    @Test
    void theSegmentOfAStreamIsTheCrc32OfItsUtf8IdModuloTheSegmentCount() {
        // CRC-32 of "acc-00001" is 165737983 (0x09e0f5ff); of "Zoë" (UTF-8) 1739342378 (0x67ac422a)
        assertThat(SegmentHash.segmentOf("acc-00001", 4)).isEqualTo(3);
        assertThat(SegmentHash.segmentOf("acc-00001", 7)).isEqualTo((int) (165737983L % 7));
        assertThat(SegmentHash.segmentOf("Zoë", 10)).isEqualTo(8);
    }

    @Test
    void oneSegmentTakesEveryStream() {
        assertThat(SegmentHash.segmentOf("anything", 1)).isZero();
    }

    @Test
    void streamsSpreadOverAllSegments() {
        int[] counts = new int[8];
        for (int i = 0; i < 8_000; i++) {
            counts[SegmentHash.segmentOf("stream-" + i, 8)]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(800, 1_200);
        }
    }
}
