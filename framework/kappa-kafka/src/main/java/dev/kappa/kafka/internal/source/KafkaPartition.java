package dev.kappa.kafka.internal.source;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.internal.record.KafkaRecords;
import dev.kappa.kafka.internal.record.NotARelayedRecordException;
import dev.kappa.projections.source.SourcePage;
import dev.kappa.projections.source.SourcePartition;

/**
 * One partition of a topic, read by one segment's worker with a consumer of its own, created at the first read. A
 * record's position is its Kafka offset plus one, so a checkpoint is the consumer's position: the next offset to fetch.
 * Records are fetched by polls (which {@link #awaitAfter} makes while the worker waits) and handed out by
 * {@link #read}; a read after a position other than the one the consumer stands at (a failed batch, a lost lease, a
 * reset) seeks there first.
 *
 * <p>A page that empties what was fetched ends at the consumer's position, which may lie beyond its last record: a
 * transaction's commit marker holds an offset but no record, and read_committed end offsets count it. A page reaches
 * the head only when the consumer knows that nothing committed lies beyond it (its lag, from the last fetch, is 0); an
 * empty page that does not (no fetch has come back yet, or the broker does not answer) lets the worker wait without
 * counting as caught up.
 *
 * <p>Not thread-safe: it belongs to one worker's thread, as its consumer does.
 */
final class KafkaPartition implements SourcePartition {

    private static final Logger log = LoggerFactory.getLogger(KafkaPartition.class);
    /** How long a read waits for a fetch when the consumer does not know it is at the end. */
    private static final Duration FETCH_WAIT = Duration.ofMillis(200);
    /** How long one poll of a wait lasts: a wait also ends when the position moves over a commit marker. */
    private static final Duration WAIT_SLICE = Duration.ofMillis(100);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final Duration LOOKUP_WAIT = Duration.ofSeconds(10);
    /** The most positions a page allocates before it knows how many records it gets. */
    private static final int MAX_PAGE = 10_000;

    private final TopicPartition partition;
    private final String projection;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final GroupMembership membership;
    private final Executor decoder;
    /** What the polls fetched and the worker has not taken yet, in order, each being decoded on the decoder. */
    private final ArrayDeque<Chunk> fetched = new ArrayDeque<>();
    private Consumer<byte[], byte[]> consumer;
    /** The position of what was handed out: where the consumer stands, as far as the worker knows. */
    private long next = -1;
    private long head;
    private long mirrored = -1;
    /** Whether this partition keeps the instance in the projection's consumer group: it asked where to be processed. */
    private boolean member;
    private boolean retentionLogged;

    /**
     * @param consumers  creates the partition's consumer, at the first read
     * @param membership says whether the partition is assigned here, and mirrors its positions to the group
     * @param decoder   turns fetched records into log records while the worker applies the ones before them
     */
    KafkaPartition(TopicPartition partition, String projection, Supplier<Consumer<byte[], byte[]>> consumers,
                   GroupMembership membership, Executor decoder) {
        this.partition = partition;
        this.projection = projection;
        this.consumers = consumers;
        this.membership = membership;
        this.decoder = decoder;
    }

    @Override
    public SourcePage read(long after, int limit) {
        standAt(after);
        if (fetched.isEmpty()) {
            poll(Duration.ZERO);
            long deadline = System.nanoTime() + FETCH_WAIT.toNanos();
            while (fetched.isEmpty() && !atEnd() && consumer.position(partition) == after
                    && System.nanoTime() - deadline < 0) {
                poll(WAIT_SLICE);
            }
        }
        List<LogRecord> records = new ArrayList<>(Math.min(limit, MAX_PAGE));
        long[] positions = new long[Math.min(limit, MAX_PAGE)];
        RuntimeException[] unreadable = null;
        int count = 0;
        while (count < limit && !fetched.isEmpty()) {
            Chunk chunk = fetched.peek();
            Decoded decoded = chunk.decoded();
            int take = Math.min(limit - count, decoded.records().size() - chunk.taken);
            if (count + take > positions.length) {
                positions = Arrays.copyOf(positions, count + take);
            }
            for (int i = 0; i < take; i++, count++) {
                int index = chunk.taken + i;
                records.add(decoded.records().get(index));
                positions[count] = decoded.positions()[index];
                if (decoded.unreadable() != null && decoded.unreadable()[index] != null) {
                    if (unreadable == null) {
                        unreadable = new RuntimeException[positions.length];
                    }
                    unreadable[count] = decoded.unreadable()[index];
                }
            }
            chunk.taken += take;
            if (chunk.taken == decoded.records().size()) {
                fetched.poll();
            }
        }
        positions = positions.length == count ? positions : Arrays.copyOf(positions, count);
        if (unreadable != null && unreadable.length != count) {
            unreadable = Arrays.copyOf(unreadable, count);
        }
        if (count > 0 && fetched.isEmpty()) {
            // takes in what the last fetch holds beyond its records (the commit marker that ends their transaction),
            // and whatever else has come: decoded while the worker applies this page
            poll(Duration.ZERO);
        }
        // emptied: the consumer's position, past any commit marker after the last record
        long through = fetched.isEmpty() ? consumer.position(partition) : positions[count - 1];
        next = through;
        boolean reachedHead = fetched.isEmpty() && atEnd();
        head = Math.max(head, consumer.position(partition) + lag().orElse(0));
        if (unreadable != null) {
            return SourcePage.of(records, positions, unreadable, through, reachedHead, head);
        }
        return SourcePage.of(records, positions, through, reachedHead, head);
    }

    @Override
    public long head() {
        if (consumer != null) {
            OptionalLong lag = lag();
            if (lag.isPresent()) {
                head = Math.max(head, consumer.position(partition) + lag.getAsLong());
                return head;
            }
        }
        Consumer<byte[], byte[]> asking = consumer();
        Long end = asking.endOffsets(List.of(partition), LOOKUP_WAIT).get(partition);
        head = Math.max(head, end == null ? 0 : end);
        return head;
    }

    @Override
    public void awaitAfter(long position, Duration timeout) throws InterruptedException {
        if (consumer == null) {
            standAt(position);
        }
        if (!fetched.isEmpty()) {
            return;
        }
        long standing = consumer.position(partition);
        // a consumer that has not heard from the partition yet does not know whether it is at the end: learning it is
        // news too
        boolean endKnown = lag().isPresent();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (fetched.isEmpty() && consumer.position(partition) == standing
                    && endKnown == lag().isPresent()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                poll(Duration.ofNanos(Math.min(remaining, WAIT_SLICE.toNanos())));
            }
        } catch (InterruptException e) {
            // Kafka's own interrupt exception: the runtime nudged the worker
            Thread.interrupted();
            throw new InterruptedException("woken while waiting for " + partition);
        }
    }

    /** Whether the projection's consumer group assigns this partition to this instance. */
    @Override
    public boolean assignedHere() {
        if (!member) {
            member = true;
            membership.join();
        }
        return membership.assigned(partition.partition());
    }

    /** Hands the position to the group's member, which commits it while the group assigns the partition here. */
    @Override
    public void committed(long position) {
        if (position == mirrored) {
            return;
        }
        mirrored = position;
        membership.mirror(partition.partition(), position);
    }

    @Override
    public void close() {
        fetched.clear();
        if (member) {
            member = false;
            membership.leave();
        }
        if (consumer != null) {
            try {
                consumer.close(CloseOptions.timeout(CLOSE_WAIT));
            } catch (RuntimeException e) {
                log.debug("projection '{}': closing the consumer of {} failed: {}", projection, partition,
                        e.toString());
            }
            consumer = null;
            next = -1;
        }
    }

    /** Makes the consumer stand at {@code position}, seeking there (and dropping what was fetched) if it does not. */
    private void standAt(long position) {
        if (consumer != null && position == next) {
            return;
        }
        consumer();
        fetched.clear();
        consumer.seek(partition, position);
        next = position;
    }

    private Consumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            consumer = consumers.get();
            consumer.assign(List.of(partition));
        }
        return consumer;
    }

    /** Polls once, keeping what it fetched; a position the partition no longer (or never) held is dealt with. */
    private void poll(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(timeout);
        } catch (OffsetOutOfRangeException e) {
            outOfRange(e.offsetOutOfRangePartitions().getOrDefault(partition, next));
            return;
        }
        List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
        if (!polled.isEmpty()) {
            fetched.add(new Chunk(decode(polled)));
        }
    }

    /** Decodes fetched records on the decoder (here, if it takes no more work: it is closing). */
    private CompletableFuture<Decoded> decode(List<ConsumerRecord<byte[], byte[]>> polled) {
        try {
            return CompletableFuture.supplyAsync(() -> decoded(polled), decoder);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(decoded(polled));
        }
    }

    /** The log records the relay published as {@code polled}; a record it did not publish is unreadable. */
    private static Decoded decoded(List<ConsumerRecord<byte[], byte[]>> polled) {
        List<LogRecord> records = new ArrayList<>(polled.size());
        long[] positions = new long[polled.size()];
        RuntimeException[] unreadable = null;
        for (int i = 0; i < polled.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = polled.get(i);
            positions[i] = record.offset() + 1;
            try {
                records.add(KafkaRecords.fromKafka(record));
            } catch (RuntimeException e) {
                // not the relay's (NotARelayedRecordException), or not a record at all: the worker fails on it
                if (unreadable == null) {
                    unreadable = new RuntimeException[polled.size()];
                }
                unreadable[i] = e;
                records.add(standIn(record, positions[i]));
            }
        }
        return new Decoded(records, positions, unreadable);
    }

    /**
     * The consumer stands outside the partition's records: below its log-start offset (retention deleted records
     * this projection had not read; it can only go on from what is left, and says so once), or beyond its end (the
     * topic was deleted and created again under it: a clear error, since going back to the start would apply records
     * twice).
     */
    private void outOfRange(long position) {
        long start = consumer.beginningOffsets(List.of(partition), LOOKUP_WAIT).getOrDefault(partition, 0L);
        long end = consumer.endOffsets(List.of(partition), LOOKUP_WAIT).getOrDefault(partition, 0L);
        if (position < start) {
            if (!retentionLogged) {
                retentionLogged = true;
                log.warn("projection '{}': {} no longer holds offsets {} to {} (retention deleted them before this"
                        + " projection read them); going on from offset {}. Rebuild the projection from a topic that"
                        + " keeps every record (retention.ms=-1) to have them applied", projection, partition,
                        position, start - 1, start);
            }
            consumer.seek(partition, start);
            return;
        }
        throw new IllegalStateException("projection '" + projection + "' stands at position " + position + " of "
                + partition + ", beyond its end offset " + end + ": the topic was deleted and created again, or"
                + " truncated; reset the projection to 0 (or rebuild it) to read the topic as it is now");
    }

    /** Whether the consumer knows that nothing lies beyond its position (read_committed: nothing committed). */
    private boolean atEnd() {
        OptionalLong lag = lag();
        return lag.isPresent() && lag.getAsLong() == 0;
    }

    private OptionalLong lag() {
        return consumer.currentLag(partition);
    }

    /**
     * What can be read of a record that was not written by the relay: enough to name it in the failure the worker
     * records and in a dead letter (its log offset if it has one, else minus its position: never a real offset).
     */
    private static LogRecord standIn(ConsumerRecord<byte[], byte[]> record, long position) {
        long offset;
        try {
            offset = KafkaRecords.logOffset(record);
        } catch (NotARelayedRecordException e) {
            offset = -position;
        }
        String coordinates = record.topic() + "-" + record.partition() + "@" + record.offset();
        String key = record.key() == null ? coordinates : new String(record.key(), StandardCharsets.UTF_8);
        return new LogRecord(offset, key, 0, "?", "null", new EventMetadata(
                UUID.nameUUIDFromBytes(coordinates.getBytes(StandardCharsets.UTF_8)), null, null,
                Instant.ofEpochMilli(Math.max(0, record.timestamp())), Map.of("kafka", coordinates)), null, false);
    }

    /** The records of one poll, decoded (or being decoded), and how many of them the worker has taken. */
    private static final class Chunk {
        private final CompletableFuture<Decoded> decoding;
        private int taken;

        Chunk(CompletableFuture<Decoded> decoding) {
            this.decoding = decoding;
        }

        Decoded decoded() {
            return decoding.join();
        }
    }

    /** Fetched records as log records, with their positions and, for records the relay did not write, why not. */
    private record Decoded(List<LogRecord> records, long[] positions, RuntimeException[] unreadable) {
    }

    @Override
    public String toString() {
        return "KafkaPartition[" + partition + " of projection '" + projection + "', at " + next + "]";
    }
}
