package dev.kappa.projections.source;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a projection's records come from: a log of records split into partitions, each read by one worker in order,
 * in parallel with the others. Every record belongs to exactly one partition, and all the records of one stream (or
 * one key) to the same one, so that a stream's events reach its handlers in order.
 *
 * <p>The PostgreSQL log is split into as many partitions (segments) as the projection asks for, by a fixed hash of the
 * stream id; a Kafka topic has the partitions it was created with, keyed by stream id ({@link #partitions()}), and a
 * projection fed by it has that many segments.
 *
 * <p>Implementations are thread-safe: the runtime opens the partitions of several projections from several threads.
 */
public interface RecordSource {

    /**
     * Opens partition {@code partition} of {@code partitions}, for one worker, which reads it and closes it when it
     * stops. Opening is cheap and holds no resources until the first read: a runtime opens a partition for every
     * segment it may work on, held by this instance or not.
     *
     * @param partition  the 0-based partition: the projection's segment
     * @param partitions how many partitions the projection's records are split into: its segment count
     * @throws IllegalArgumentException if the source cannot be split that way (a topic has a fixed number of
     *                                  partitions)
     */
    SourcePartition partition(int partition, int partitions);

    /**
     * The number of partitions the source has of its own, whatever a projection would like: a topic's partition count.
     * Empty (the default) when the projection chooses how many (the log, split by stream).
     */
    default OptionalInt partitions() {
        return OptionalInt.empty();
    }

    /**
     * Where each of the {@code partitions} partitions' checkpoints must be for a projection to have applied every
     * record of the log up to {@code logOffset}: what read-your-writes ({@code awaitCheckpoint}) waits for. The log's
     * positions are log offsets, so it answers {@code logOffset} for every partition (the default). A source fed
     * from the log by a relay first waits, at most {@code timeout}, until the relay has carried the log that far.
     *
     * @return one position per partition, or empty if the source could not tell within {@code timeout} (the records
     *         have not reached it yet)
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    default Optional<long[]> positionsThrough(long logOffset, int partitions, Duration timeout)
            throws InterruptedException {
        long[] positions = new long[partitions];
        Arrays.fill(positions, logOffset);
        return Optional.of(positions);
    }

    /**
     * The head of each partition ({@link SourcePartition#head()}), for status and lag figures, where the partitions'
     * heads are not the log's: a topic's partitions' end offsets. Empty (the default) for the log, whose head is the
     * same for every segment, or when the heads cannot be read now.
     */
    default Optional<long[]> heads() {
        return Optional.empty();
    }

    /**
     * Whether the source itself decides where each partition is processed ({@link SourcePartition#assignedHere()}), as
     * a Kafka consumer group does. Then an instance takes every segment whose partition is assigned to it, however
     * many, and gives one up only when the source assigns it elsewhere: the leases' fair shares, which spread the log's
     * segments, are not applied, since two rules deciding the same thing can disagree and leave a partition that
     * neither lets anyone take. The leases still fence every commit. False (the default) for the log.
     */
    default boolean placesPartitions() {
        return false;
    }
}
