package dev.kappa.projections.source;

import java.time.Duration;

/**
 * One partition of a {@link RecordSource}, read by one worker: the records of its share, in the order of their
 * positions.
 *
 * <h2>Positions</h2>
 * A position is a {@code long} that grows with every record of the partition; a worker's checkpoint is a position,
 * meaning "every record at or below it has been processed", and 0 lies before the first record. In the PostgreSQL log a
 * position is the log offset, the same in every segment (so a segment's positions have gaps: the other segments'
 * records). In a Kafka partition a record's position is its Kafka offset plus one, so that a checkpoint is the next
 * offset to fetch: what Kafka itself commits for a consumer group, 0 being the partition's start whatever its log-start
 * offset is now. A checkpoint may also move past offsets that hold no record (a transaction's commit marker). A
 * position minus one always means "just before the record at that position": the worker relies on it to commit
 * everything before a failing record.
 *
 * <h2>Threading</h2>
 * Not thread-safe: {@link #read}, {@link #head}, {@link #awaitAfter} and {@link #committed} are called on the worker's
 * thread only, one at a time, and {@link #close} when it stops. A partition may read ahead on threads of its own (the log's reads the
 * next page while the worker applies the current one), as long as it hands out what {@link #read} asks for.
 */
public interface SourcePartition extends AutoCloseable {

    /**
     * Reads the partition's records after {@code after}: at most {@code limit} of them, in position order, all above
     * {@code after}; fewer if the partition holds fewer (none at its head). Successive reads usually continue where
     * the last one ended ({@code after} is the last page's {@link SourcePage#through()}), but {@code after} may go
     * back, after a failed batch, a lost lease or a reset: a source that streams (a Kafka consumer) then seeks.
     *
     * <p>The worker reads a batch's first page before the batch's database transaction begins, and its further pages
     * with that transaction open on the calling thread: a source that reads the same database must not read on the
     * transaction's connection (the log's reads those pages on a thread of its own).
     *
     * <p>A page may hold no record and yet end above {@code after}, when the read passed over records that are not
     * in this partition (the log, read whole and kept to one segment's share); the worker then only moves its
     * checkpoint. A page that holds nothing and ends at {@code after} means that there is nothing more to read now:
     * the head if it {@link SourcePage#reachedHead() reached} it (the worker then counts as caught up), else only
     * nothing yet (a consumer whose fetch has not come back: the worker waits without counting as caught up).
     *
     * @param after the position read through so far: the checkpoint, or the last page's end
     * @param limit the most records wanted, at least 1: large while behind, small once caught up, 1 while looking for
     *              the record at fault
     * @throws RuntimeException if the records cannot be read; the worker waits with back-off and reads again,
     *                          however long it takes, reporting an outage if the failure says the database is away
     */
    SourcePage read(long after, int limit);

    /**
     * The position of the newest record of the source that this partition could read (its head): the log's last
     * offset; a Kafka partition's end offset (of committed records), the position its last record has. It feeds lag figures, and tells whether a partition that was
     * woken for new records but reads none (the records in between were compacted away) may sleep until a record
     * above it arrives.
     *
     * @throws RuntimeException if the head cannot be read
     */
    long head();

    /**
     * Waits until the partition may hold a record above {@code position}, or {@code timeout} has passed, whichever
     * comes first; a spurious return is harmless (the worker reads, finds nothing, and waits again). The log's
     * partitions are woken by the log's notifications, which every append sends; a Kafka partition would poll its
     * consumer (keeping what it fetched for the next {@link #read}).
     *
     * <p>The runtime wakes a waiting worker (a reset, a released lease, a stop) by interrupting its thread, only ever
     * during this call: implementations must return promptly when interrupted, by throwing
     * {@link InterruptedException} (or returning with the interrupt flag set).
     *
     * @throws InterruptedException if the thread was interrupted while waiting
     * @throws RuntimeException     if the source cannot be watched; the worker treats it as an outage
     */
    void awaitAfter(long position, Duration timeout) throws InterruptedException;

    /**
     * The worker committed its checkpoint at {@code position} in the generation readers use, in the read model's
     * transaction: a source may mirror it where its own tools look (a Kafka consumer group's committed offsets), never
     * to be read back as the truth. Called on the worker's thread; does nothing by default.
     */
    default void committed(long position) {
    }

    /**
     * Whether this instance is where the partition should be processed now. A Kafka topic's partitions are spread over
     * the instances by the projection's consumer group: the worker takes its segment's lease only while the group
     * assigns the partition here, and hands the lease over once it no longer does. The lease alone still fences the
     * commits, so an instance that learns late of a rebalance cannot commit once another holds the segment. The log's
     * segments are always assigned here (leases alone spread them). Called on the worker's thread; must not block.
     */
    default boolean assignedHere() {
        return true;
    }

    /** Lets go of whatever the partition holds (records read ahead, a consumer): the worker stops. */
    @Override
    void close();
}
