package dev.kappa.projections.internal.worker;

import dev.kappa.eventstore.LogShare;

/**
 * Which segment a stream belongs to: the event store's {@link LogShare#segmentOf}, the CRC-32 of the stream id's UTF-8
 * bytes (a non-negative number below 2<sup>32</sup>), modulo the segment count; the log stores that hash, so a
 * segment's worker reads only its share. The function is fixed, so the assignment is the same in every process and
 * every release: all of a stream's events go to one segment, in order. Thread-safe.
 */
public final class SegmentHash {

    private SegmentHash() {
    }

    /** The 0-based segment of {@code streamId} among {@code segments}. */
    public static int segmentOf(String streamId, int segments) {
        return LogShare.segmentOf(streamId, segments);
    }
}
