package dev.kappa.kafka.internal.source;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import dev.kappa.projections.source.RecordSource;
import dev.kappa.projections.source.SourcePartition;

/**
 * A topic the relay writes, read by one projection: its partitions are the projection's segments, each read by a
 * {@link KafkaPartition}. A log offset becomes per-partition positions through the relay's position: once the relay has
 * carried the log that far, every record up to it lies below the partitions' read_committed end offsets, which are
 * then where the segments' checkpoints must be. The projection's consumer group ({@link GroupMembership}) decides which
 * partitions this instance processes.
 *
 * <p>Thread-safe.
 */
final class KafkaTopicSource implements RecordSource {

    /** How long a status request waits for the partitions' end offsets. */
    private static final Duration HEADS_WAIT = Duration.ofSeconds(2);

    private final String topic;
    private final String projection;
    private final int partitions;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final GroupMembership membership;
    private final Admin admin;
    private final RelayPosition relay;
    private final Executor decoder;
    /** The last answer: end offsets read once the relay had carried the log through {@code covered}. */
    private volatile Answer last = new Answer(0, null);

    /**
     * @param partitions the topic's partition count, as it was when the projection was registered
     * @param consumers  creates a consumer for one partition of the projection
     * @param membership this instance's membership of the projection's consumer group: where partitions are processed
     * @param admin      reads the partitions' end offsets
     * @param relay      how far the relay has carried the log
     * @param decoder    decodes fetched records while workers apply the ones before them
     */
    KafkaTopicSource(String topic, String projection, int partitions, Supplier<Consumer<byte[], byte[]>> consumers,
                     GroupMembership membership, Admin admin, RelayPosition relay, Executor decoder) {
        this.topic = topic;
        this.projection = projection;
        this.partitions = partitions;
        this.consumers = consumers;
        this.membership = membership;
        this.admin = admin;
        this.relay = relay;
        this.decoder = decoder;
    }

    @Override
    public SourcePartition partition(int partition, int partitions) {
        if (partitions != this.partitions) {
            throw new IllegalArgumentException("topic '" + topic + "' has " + this.partitions + " partitions, but the"
                    + " generation of projection '" + projection + "' that reads it has " + partitions + " segments:"
                    + " the topic's partitions changed since it was built; raise the projection's version (or rebuild it"
                    + " blue-green, or reset it to 0) to read it with one segment per partition");
        }
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("topic '" + topic + "' has no partition " + partition);
        }
        return new KafkaPartition(new TopicPartition(topic, partition), projection, consumers, membership,
                decoder);
    }

    @Override
    public OptionalInt partitions() {
        return OptionalInt.of(partitions);
    }

    /**
     * Waits until the relay has carried the log through {@code logOffset}, then answers the partitions' read_committed
     * end offsets: a segment whose checkpoint (the next offset to fetch) is there has applied every record of its
     * partition up to {@code logOffset}.
     */
    @Override
    public Optional<long[]> positionsThrough(long logOffset, int segments, Duration timeout)
            throws InterruptedException {
        if (logOffset <= 0) {
            return Optional.of(new long[partitions]);
        }
        Answer known = last;
        if (known.positions() != null && logOffset <= known.covered()) {
            // end offsets read after the relay carried the log this far hold every record up to it
            return Optional.of(known.positions().clone());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!relay.awaitRelayed(logOffset, timeout)) {
            return Optional.empty();
        }
        long covered = relay.relayed();
        Optional<long[]> ends = endOffsets(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        if (ends.isEmpty()) {
            return Optional.empty();
        }
        long[] positions = ends.get();
        synchronized (this) {
            if (covered > last.covered()) {
                last = new Answer(covered, positions.clone());
            }
        }
        return Optional.of(positions);
    }

    /** The projection's consumer group decides where each partition is processed. */
    @Override
    public boolean placesPartitions() {
        return true;
    }

    /** The partitions' read_committed end offsets: the positions their last committed records have. */
    @Override
    public Optional<long[]> heads() {
        try {
            return endOffsets(HEADS_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The partitions' read_committed end offsets, or empty if Kafka did not answer within {@code timeout}. */
    private Optional<long[]> endOffsets(Duration timeout) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends;
        try {
            ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the end offsets of topic '" + topic + "' for projection '"
                    + projection + "': " + e.getCause(), e.getCause());
        }
        long[] positions = new long[partitions];
        ends.forEach((partition, info) -> positions[partition.partition()] = info.offset());
        return Optional.of(positions);
    }

    /** End offsets, read once the relay had carried the log through {@code covered}. */
    private record Answer(long covered, long[] positions) {
    }

    @Override
    public String toString() {
        return "KafkaTopicSource[" + topic + " (" + partitions + " partitions) for projection '" + projection + "']";
    }
}
