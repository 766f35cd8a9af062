package dev.kappa.projections.internal.log;

import java.util.concurrent.Executor;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogShare;
import dev.kappa.eventstore.LogSubscriptions;
import dev.kappa.projections.source.RecordSource;
import dev.kappa.projections.source.SourcePartition;

/**
 * The PostgreSQL log, split into segments by stream ({@link LogShare}): as many as the projection asks for, each read
 * by PostgreSQL as a share of its own. Thread-safe.
 */
public final class PostgresLogSource implements RecordSource {

    private final EventReader reader;
    private final LogSubscriptions subscriptions;
    private final Executor readAhead;

    /**
     * @param reader        reads the log
     * @param subscriptions wakes a segment waiting for appends (the log's notifications)
     * @param readAhead     reads a segment's next page while the current one is applied
     */
    public PostgresLogSource(EventReader reader, LogSubscriptions subscriptions, Executor readAhead) {
        this.reader = reader;
        this.subscriptions = subscriptions;
        this.readAhead = readAhead;
    }

    @Override
    public SourcePartition partition(int partition, int partitions) {
        if (partitions < 1 || partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("segment " + partition + " of " + partitions
                    + " does not exist: segments are numbered from 0 to the segment count (at least 1) minus 1");
        }
        return new LogSegment(reader, subscriptions, readAhead, partition, partitions);
    }
}
