package dev.kappa.projections.internal.log;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which segment a stream belongs to: the CRC-32 of the stream id's UTF-8 bytes (a non-negative number below
 * 2<sup>32</sup>), modulo the segment count. The function is fixed, so the assignment is the same in every process and
 * every release: all of a stream's events go to one segment, in order. Thread-safe.
 */
public final class SegmentHash {

    private SegmentHash() {
    }

    /** The 0-based segment of {@code streamId} among {@code segments}. */
    public static int segmentOf(String streamId, int segments) {
        if (segments == 1) {
            return 0;
        }
        CRC32 crc = new CRC32();
        crc.update(streamId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % segments);
    }
}
