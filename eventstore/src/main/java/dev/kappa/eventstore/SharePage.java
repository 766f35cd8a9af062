package dev.kappa.eventstore;

import java.util.List;
import java.util.Objects;

/**
 * One read of a {@link LogShare}: the share's records above an offset, and how far the read got.
 *
 * @param records       the share's records, in offset order; possibly none even below the head, when the read
 *                      scanned part of the log holding none of the share
 * @param throughOffset the offset the read got through: every record of the share at or below it and above the
 *                      offset read after is in {@code records}, and none can appear there later (offsets are taken in
 *                      commit order). Read on from here, even when {@code records} is empty
 * @param head          the head of the log when it was read, in the same snapshot as the records
 */
public record SharePage(List<LogRecord> records, long throughOffset, long head) {

    public SharePage {
        records = List.copyOf(Objects.requireNonNull(records, "records must not be null"));
        if (!records.isEmpty() && records.get(records.size() - 1).offset() > throughOffset) {
            throw new IllegalArgumentException("the page's last record, at offset " + records.get(records.size() - 1)
                    .offset() + ", lies beyond its through offset " + throughOffset);
        }
    }

    /** Whether the read got through to the head: there was nothing more of the share when it was read. */
    public boolean reachedHead() {
        return throughOffset >= head;
    }
}
