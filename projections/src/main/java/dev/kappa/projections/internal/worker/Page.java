package dev.kappa.projections.internal.worker;

import java.util.List;

import dev.kappa.eventstore.LogRecord;

/**
 * One read of the log.
 *
 * @param records     the records, in offset order
 * @param reachedHead whether the read went up to the head of the log: nothing more was there when it was read
 */
record Page(List<LogRecord> records, boolean reachedHead) {

    long first() {
        return records.get(0).offset();
    }

    long last() {
        return records.get(records.size() - 1).offset();
    }
}
