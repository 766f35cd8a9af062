package dev.kappa.kafka.internal.source;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's membership of a projection's consumer group {@code kappa.<projection>}: a consumer subscribed to the
 * topic, on a thread of its own, that never fetches (every partition it is assigned stays paused). It holds the
 * membership so that Kafka's group coordinator spreads the partitions over the instances and moves them on
 * rebalance, and tells the segments which partitions are assigned here; PostgreSQL's leases still fence who commits.
 * Since a group with live members refuses offset commits from others, it also commits the positions the segments
 * mirror, for the partitions it holds (the others' new owners mirror theirs). Started at the first question, joins
 * again with a new consumer after a failure.
 *
 * <p>Thread-safe.
 */
final class GroupMembership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupMembership.class);
    /** How often the consumer polls: heartbeats run by themselves, but rebalances and commits need polls. */
    private static final Duration POLL = Duration.ofMillis(150);
    private static final Duration REJOIN_PAUSE = Duration.ofSeconds(1);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String topic;
    private final String projection;
    private final String group;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    /** The partitions the group assigned to this instance. */
    private volatile Set<Integer> assigned = Set.of();
    /** Positions to mirror, by partition: the newest wins. */
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private Thread thread;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile boolean closed;

    /** @param consumers creates the member's consumer: of the group, never fetching by itself */
    GroupMembership(String topic, String projection, String group, Supplier<Consumer<byte[], byte[]>> consumers) {
        this.topic = topic;
        this.projection = projection;
        this.group = group;
        this.consumers = consumers;
    }

    /** Whether the group assigns {@code partition} to this instance now; joins the group at the first question. */
    boolean assigned(int partition) {
        start();
        return assigned.contains(partition);
    }

    /** Mirrors {@code position} of {@code partition} to the group, if the group assigns it here when it is sent. */
    void mirror(int partition, long position) {
        positions.put(partition, position);
    }

    private synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        thread = new Thread(this::run, "kappa-kafka-group-" + projection);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!closed) {
            try {
                Consumer<byte[], byte[]> member = consumers.get();
                consumer = member;
                try {
                    member.subscribe(List.of(topic), new Listener(member));
                    while (!closed) {
                        member.poll(POLL);
                        member.pause(member.assignment());
                        commit(member);
                    }
                } finally {
                    assigned = Set.of();
                    consumer = null;
                    member.close(CloseOptions.timeout(CLOSE_WAIT));
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("projection '{}': its membership of consumer group '{}' failed ({}); joining again in {} ms",
                        projection, group, e.toString(), REJOIN_PAUSE.toMillis());
                try {
                    Thread.sleep(REJOIN_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Commits the positions handed over since the last poll, of the partitions held here; drops the others'. */
    private void commit(Consumer<byte[], byte[]> member) {
        if (positions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<Integer> held = assigned;
        for (Map.Entry<Integer, Long> entry : positions.entrySet()) {
            positions.remove(entry.getKey(), entry.getValue());
            if (held.contains(entry.getKey())) {
                offsets.put(new TopicPartition(topic, entry.getKey()), new OffsetAndMetadata(entry.getValue()));
            }
        }
        if (!offsets.isEmpty()) {
            member.commitAsync(offsets, (committed, failure) -> {
                if (failure != null) {
                    log.debug("projection '{}': could not mirror positions {} to consumer group '{}': {}", projection,
                            committed, group, failure.toString());
                }
            });
        }
    }

    /** Leaves the group: its partitions go to the other members. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        Consumer<byte[], byte[]> member = consumer;
        if (member != null) {
            member.wakeup();
        }
        if (running != null) {
            try {
                running.join(CLOSE_WAIT.toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Keeps {@link #assigned} as the group says, and keeps what it assigns paused. Runs in the member's polls. */
    private final class Listener implements ConsumerRebalanceListener {

        private final Consumer<byte[], byte[]> member;

        Listener(Consumer<byte[], byte[]> member) {
            this.member = member;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            member.pause(partitions);
            Set<Integer> now = new HashSet<>(assigned);
            partitions.forEach(partition -> now.add(partition.partition()));
            assigned = Set.copyOf(now);
            log.debug("projection '{}': consumer group '{}' assigns partitions {} of '{}' here", projection, group,
                    assigned, topic);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<Integer> now = new HashSet<>(assigned);
            partitions.forEach(partition -> now.remove(partition.partition()));
            assigned = Set.copyOf(now);
        }
    }

    @Override
    public String toString() {
        return "GroupMembership[" + group + " on '" + topic + "', assigned " + assigned + "]";
    }
}
