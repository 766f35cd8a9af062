/**
 * The record-source seam: where a projection's records come from, and how they are split into units processed in
 * parallel. A projection's workers, the ledger that keeps their checkpoints and the applier that runs the handlers see
 * records only through a {@link dev.kappa.projections.source.SourcePartition}; they never learn whether the records
 * come from the PostgreSQL log or elsewhere.
 *
 * <p>There are two sources: the PostgreSQL log, split by a hash of the stream id into as many segments as the
 * projection asks for, where a position is a log offset; and a Kafka topic the relay writes ({@code kappa-kafka}),
 * whose partitions are the segments ({@link dev.kappa.projections.source.RecordSource#partitions()}), and where a
 * position is a Kafka offset plus one within one partition. Either way the checkpoints, leases and failures are kept in
 * PostgreSQL, the checkpoints in the read model's transactions. The log's segments are spread over the instances by
 * the leases alone; a topic's partitions by Kafka's consumer group, which says where each is processed
 * ({@link dev.kappa.projections.source.SourcePartition#assignedHere()}): a worker takes its segment's lease only while
 * its partition is assigned here and hands it over once it is not. The lease still fences every commit, so exactly
 * once does not depend on the group.
 *
 * <p>This package is public, though no application needs it, because a source may live in another module (a Kafka
 * source in {@code kappa-kafka}) and must not depend on {@code internal} packages. It holds only the contract; the
 * log's implementation is internal. It is a service-provider interface.
 *
 * <h2>What a worker does with a partition</h2>
 * One worker per partition, on a thread of its own, in a loop: {@code read(checkpoint, limit)}; if the page holds
 * anything, or got through beyond the checkpoint, apply it, in one transaction that also moves the checkpoint to
 * {@link dev.kappa.projections.source.SourcePage#through()} (reading further pages with {@code read(through, limit)}
 * while the batch is not full); if the page is empty and got no further, {@code awaitAfter(checkpoint, timeout)} and
 * read again. After a failure,
 * a lost lease or a reset it reads again from the checkpoint it finds in its ledger, which may lie behind the last
 * position it read.
 */
package dev.kappa.projections.source;
