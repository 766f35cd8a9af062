/**
 * The record-source seam: where a projection's records come from, and how they are split into units processed in
 * parallel. A projection's workers, the ledger that keeps their checkpoints and the applier that runs the handlers see
 * records only through a {@link dev.kappa.projections.source.SourcePartition}; they never learn whether the records
 * come from the PostgreSQL log or elsewhere.
 *
 * <p>Today there is one source: the PostgreSQL log, split by a hash of the stream id into as many segments as the
 * projection asks for; a position there is a log offset. A Kafka topic is the next one: its partitions play the part
 * of segments, and a position is a Kafka offset within one partition.
 *
 * <p>This package is public, though no application needs it, because a source may live in another module (a Kafka
 * source in {@code kappa-kafka}) and must not depend on {@code internal} packages. It holds only the contract; the
 * log's implementation is internal. It is a service-provider interface: it may still change while the second source
 * is being built.
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
