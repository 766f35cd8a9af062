package dev.kappa.eventstore;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * One share of the log when it is split into {@code segments} by stream: the records of the streams whose id hashes
 * to {@code segment}. The hash is the CRC-32 of the stream id's UTF-8 bytes (a number from 0 to 2<sup>32</sup> - 1),
 * taken modulo the segment count. It is fixed, so a stream belongs to the same share in every process and every
 * release, and all of a stream's records lie in one share, in order. {@link EventReader#readShare} reads one.
 *
 * @param segment  the 0-based segment, below {@code segments}
 * @param segments how many shares the log is split into, at least 1
 */
public record LogShare(int segment, int segments) {

    public LogShare {
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be at least 1 but was " + segments);
        }
        if (segment < 0 || segment >= segments) {
            throw new IllegalArgumentException("segment must be between 0 and " + (segments - 1) + " (of "
                    + segments + " segments) but was " + segment);
        }
    }

    /** Segment {@code segment} of {@code segments}. */
    public static LogShare of(int segment, int segments) {
        return new LogShare(segment, segments);
    }

    /** Whether the stream's records belong to this share. */
    public boolean contains(String streamId) {
        return segmentOf(streamId, segments) == segment;
    }

    /** The 0-based segment of {@code streamId} among {@code segments}. */
    public static int segmentOf(String streamId, int segments) {
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be at least 1 but was " + segments);
        }
        return segments == 1 ? 0 : (int) (streamHash(streamId) % segments);
    }

    /**
     * The hash that places a stream: the CRC-32 of its id's UTF-8 bytes. The log stores it with every record, so that
     * PostgreSQL finds a share without hashing.
     */
    public static long streamHash(String streamId) {
        CRC32 crc = new CRC32();
        crc.update(streamId.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
