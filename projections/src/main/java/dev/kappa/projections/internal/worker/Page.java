package dev.kappa.projections.internal.worker;

import java.util.List;

import dev.kappa.eventstore.LogRecord;

/**
 * One read of the log, or of the segment's share of it.
 *
 * @param records     the records, in offset order
 * @param reachedHead whether the read went up to the head of the log: nothing more was there when it was read
 * @param through     the offset the read got through: no record of the segment lies between the last record and it
 *                    (beyond the last record only for a read of a share, which may also come back empty)
 */
record Page(List<LogRecord> records, boolean reachedHead, long through) {

    /** A page that got through to its last record, or nowhere if it has none. */
    Page(List<LogRecord> records, boolean reachedHead) {
        this(records, reachedHead, records.isEmpty() ? -1 : records.get(records.size() - 1).offset());
    }

    long first() {
        return records.get(0).offset();
    }

    long last() {
        return records.get(records.size() - 1).offset();
    }
}
