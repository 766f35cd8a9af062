package dev.kappa.kafka.internal.source;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the relay has carried the log into Kafka, as its position topic says: the relay writes, in each of its
 * transactions, the last log offset the transaction carries (decimal text, keyed by its transactional id), so once that
 * record is committed every record up to that offset is committed too. Followed from the topic's start by a thread of
 * its own, started by the first wait, with a read_committed consumer of no group.
 *
 * <p>Thread-safe: waits run on their callers' threads.
 */
final class RelayPosition implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayPosition.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final String topic;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    // guarded by lock
    private final Map<String, Long> byRelay = new HashMap<>();
    private long relayed = -1;
    private Thread follower;
    private Consumer<byte[], byte[]> consumer;
    private boolean closed;

    RelayPosition(String topic, Supplier<Consumer<byte[], byte[]>> consumers) {
        this.topic = topic;
        this.consumers = consumers;
    }

    /**
     * Waits until the relay has carried the log through {@code logOffset}, or {@code timeout} passes.
     *
     * @return whether it has
     * @throws InterruptedException if the calling thread is interrupted
     */
    boolean awaitRelayed(long logOffset, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            follow();
            while (relayed < logOffset && remaining > 0 && !closed) {
                remaining = moved.awaitNanos(remaining);
            }
            return relayed >= logOffset;
        } finally {
            lock.unlock();
        }
    }

    /** The last log offset the relay has carried, as far as the topic was read; -1 before anything is known. */
    long relayed() {
        lock.lock();
        try {
            return relayed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Thread thread;
        lock.lock();
        try {
            closed = true;
            thread = follower;
            if (consumer != null) {
                consumer.wakeup();
            }
            moved.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            // woken, not interrupted: an interrupted consumer cannot close cleanly
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts following the topic, if nobody has. Holding the lock. */
    private void follow() {
        if (follower != null || closed) {
            return;
        }
        follower = new Thread(this::run, "kappa-kafka-relay-position");
        follower.setDaemon(true);
        follower.start();
    }

    /** Follows the topic until closed, with a new consumer after any failure of the last one. */
    private void run() {
        try {
            while (!followOnce()) {
                pause();
            }
        } catch (InterruptException e) {
            Thread.interrupted();
        }
    }

    /** Follows the topic with one consumer; returns true once closed, false after a failure worth another try. */
    private boolean followOnce() {
        Consumer<byte[], byte[]> following;
        lock.lock();
        try {
            if (closed) {
                return true;
            }
            following = consumers.get();
            consumer = following;
        } finally {
            lock.unlock();
        }
        boolean missingLogged = false;
        try {
            while (!isClosed()) {
                if (following.assignment().isEmpty()) {
                    List<PartitionInfo> partitions = following.partitionsFor(topic, RETRY);
                    if (partitions == null || partitions.isEmpty()) {
                        if (!missingLogged) {
                            missingLogged = true;
                            log.warn("the relay's position topic '{}' does not exist (yet): waits for a Kafka-fed"
                                    + " projection to apply a log offset wait until the relay has written it", topic);
                        }
                        pause();
                        continue;
                    }
                    List<TopicPartition> assigned = partitions.stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList();
                    following.assign(assigned);
                    following.seekToBeginning(assigned);
                }
                for (ConsumerRecord<byte[], byte[]> record : following.poll(POLL)) {
                    take(record);
                }
            }
            return true;
        } catch (WakeupException | InterruptException e) {
            // closed
            Thread.interrupted();
            return true;
        } catch (RuntimeException e) {
            if (isClosed()) {
                return true;
            }
            log.warn("following the relay's position topic '{}' failed ({}); waits of Kafka-fed projections by log"
                    + " offset wait until it is followed again, in {} s", topic, e.toString(), RETRY.toSeconds());
            return false;
        } finally {
            lock.lock();
            try {
                consumer = null;
            } finally {
                lock.unlock();
            }
            try {
                following.close(CloseOptions.timeout(CLOSE_WAIT));
            } catch (RuntimeException e) {
                log.debug("closing the consumer of the relay's position topic '{}' failed: {}", topic, e.toString());
            }
        }
    }

    /** Waits before looking for the topic again, unless closed first. */
    private void pause() {
        lock.lock();
        try {
            if (!closed) {
                moved.awaitNanos(RETRY.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } finally {
            lock.unlock();
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        String relay = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        long offset;
        try {
            offset = Long.parseLong(new String(record.value(), StandardCharsets.UTF_8).strip());
        } catch (NumberFormatException e) {
            log.warn("the relay's position topic '{}' holds a record that is not a log offset at {}-{}@{}; ignored",
                    topic, record.topic(), record.partition(), record.offset());
            return;
        }
        lock.lock();
        try {
            byRelay.merge(relay, offset, Math::max);
            long highest = byRelay.values().stream().mapToLong(Long::longValue).max().orElse(-1);
            if (highest > relayed) {
                relayed = highest;
                moved.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
