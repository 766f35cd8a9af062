package dev.kappa.projections.source;

/**
 * Where a projection's records come from: a log of records split into partitions, each read by one worker in order,
 * in parallel with the others. Every record belongs to exactly one partition, and all the records of one stream (or
 * one key) to the same one, so that a stream's events reach its handlers in order.
 *
 * <p>The PostgreSQL log is split into as many partitions (segments) as the projection asks for, by a fixed hash of the
 * stream id; a Kafka topic has the partitions it was created with, keyed by stream id, and a projection fed by it
 * would ask for that many.
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
}
