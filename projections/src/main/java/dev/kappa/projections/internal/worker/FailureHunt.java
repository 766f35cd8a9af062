package dev.kappa.projections.internal.worker;

import dev.kappa.projections.source.SourcePage;

/**
 * Pins a failure to one record. A failure no single record can be blamed for (writing staged rows, say) makes the
 * worker apply the failed batch's records again in batches a tenth of its size, then a tenth of that, down to a batch
 * of one: the batches without the culprit commit, the one holding it fails again. A record whose handler fails after
 * records before it in the same batch is isolated: those before it are committed first, then it alone, so that its
 * retries (and any failure) concern it alone.
 *
 * <p>Not thread-safe: it belongs to one worker's thread.
 */
final class FailureHunt {

    private static final long NONE = -1;

    /** The position of the record to apply alone, once the records before it are committed. */
    private long isolate = NONE;
    /** While the checkpoint is below this position, batches are at most {@link #narrowLimit} records. */
    private long narrowThrough = NONE;
    private int narrowLimit;

    /** Whether batches are narrowed at {@code checkpoint}: it lies below the end of a batch that failed as a whole. */
    boolean narrowing(long checkpoint) {
        return narrowThrough > checkpoint;
    }

    /** The most records per batch while narrowing. */
    int narrowLimit() {
        return narrowLimit;
    }

    /** Whether a batch from {@code checkpoint} may read beyond its first page: only when nothing is being hunted. */
    boolean wholeBatches(long checkpoint) {
        return isolate == NONE && narrowThrough <= checkpoint;
    }

    /**
     * A batch of {@code records} records, read through {@code through}, failed as a whole: the batches up to there are
     * a tenth of its size from now on (a tenth each time: after a few rounds a batch of one names the record).
     *
     * @return the narrowed batch size
     */
    int narrow(int records, long through) {
        narrowLimit = Math.max(1, records / 10);
        narrowThrough = through;
        return narrowLimit;
    }

    /** The record at {@code position} failed after records before it in its batch: those go first. */
    void isolate(long position) {
        isolate = position;
    }

    /**
     * The first page of a batch from {@code after}, cut while a record is isolated: the records before it (and
     * whatever else the read passed over before it), or else the record alone.
     */
    SourcePage cut(SourcePage page, long after) {
        if (isolate == NONE) {
            return page;
        }
        if (page.records().isEmpty()) {
            return page.through() > after ? page.firstRecords(0, page.through()) : page;
        }
        if (page.position(0) > isolate) {
            // the isolated record is gone (compacted): nothing to isolate any more
            isolate = NONE;
            return page;
        }
        int before = 0;
        while (before < page.records().size() && page.position(before) < isolate) {
            before++;
        }
        if (before > 0 || isolate - 1 > after) {
            return page.firstRecords(before, Math.min(page.through(), isolate - 1));
        }
        return page.firstRecords(1, isolate);
    }

    /** The checkpoint moved to {@code checkpoint}: an isolated record at or below it has been dealt with. */
    void committed(long checkpoint) {
        if (isolate != NONE && checkpoint >= isolate) {
            isolate = NONE;
        }
    }

    /** Forgets the hunt: the checkpoint was read back, and may have moved. */
    void forget() {
        isolate = NONE;
        narrowThrough = NONE;
    }
}
