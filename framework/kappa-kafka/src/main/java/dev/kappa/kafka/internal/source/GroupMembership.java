package dev.kappa.kafka.internal.source;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * mirror, for the partitions it holds (the others' new owners mirror theirs). Held while any worker of this instance
 * asks where its partition is processed; joins again with a new consumer after a failure.
 *
 * <p>Thread-safe.
 */
final class GroupMembership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupMembership.class);
    /** How often the consumer polls: heartbeats run by themselves, but rebalances and commits need polls. */
    private static final Duration POLL = Duration.ofMillis(150);
    private static final Duration REJOIN_PAUSE = Duration.ofSeconds(1);
    private static final Duration MAX_REJOIN_PAUSE = Duration.ofSeconds(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String topic;
    private final String projection;
    private final String group;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    /** Positions to mirror, by partition: the newest wins. */
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    /** The membership now, if any. */
    private volatile Session session;
    /** How many partitions of this instance ask where they are processed: the membership lasts while any does. */
    private int users;
    private boolean closed;

    /** @param consumers creates the member's consumer: of the group, never fetching by itself */
    GroupMembership(String topic, String projection, String group, Supplier<Consumer<byte[], byte[]>> consumers) {
        this.topic = topic;
        this.projection = projection;
        this.group = group;
        this.consumers = consumers;
    }

    /** A partition's worker starts asking where it is processed: the group is joined, if it was not. */
    synchronized void join() {
        users++;
        if (session == null && !closed) {
            session = new Session();
            session.thread.start();
        }
    }

    /**
     * A partition's worker stops: once none asks any more (the projection stopped here, or was superseded), the group
     * is left, so that its partitions go to the instances that process them.
     */
    void leave() {
        Session leaving;
        synchronized (this) {
            users--;
            if (users > 0 || session == null) {
                return;
            }
            leaving = session;
            session = null;
        }
        leaving.stop();
    }

    /** Whether the group assigns {@code partition} to this instance now. */
    boolean assigned(int partition) {
        Session member = session;
        return member != null && member.assigned.contains(partition);
    }

    /** Mirrors {@code position} of {@code partition} to the group, if the group assigns it here when it is sent. */
    void mirror(int partition, long position) {
        positions.put(partition, position);
    }

    /** Commits the positions handed over since the last poll, of the partitions held here; drops the others'. */
    private void commit(Consumer<byte[], byte[]> member, Set<Integer> held) {
        if (positions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
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

    /** Leaves the group for good: its partitions go to the other members. */
    @Override
    public void close() {
        Session leaving;
        synchronized (this) {
            closed = true;
            leaving = session;
            session = null;
        }
        if (leaving != null) {
            leaving.stop();
        }
    }

    /** One membership, from joining to leaving, on a thread of its own; after a failure it joins again. */
    private final class Session implements ConsumerRebalanceListener {

        private final Thread thread = new Thread(this::run, "kappa-kafka-group-" + projection);
        /** The partitions the group assigned to this member. */
        private volatile Set<Integer> assigned = Set.of();
        private volatile Consumer<byte[], byte[]> member;
        private volatile boolean stopped;
        private final CountDownLatch stopping = new CountDownLatch(1);

        Session() {
            thread.setDaemon(true);
        }

        private void run() {
            long pause = REJOIN_PAUSE.toMillis();
            while (!stopped) {
                try {
                    Consumer<byte[], byte[]> joining = consumers.get();
                    member = joining;
                    try {
                        joining.subscribe(List.of(topic), this);
                        while (!stopped) {
                            joining.poll(POLL);
                            joining.pause(joining.assignment());
                            commit(joining, assigned);
                            pause = REJOIN_PAUSE.toMillis();
                        }
                    } finally {
                        assigned = Set.of();
                        member = null;
                        joining.close(CloseOptions.timeout(CLOSE_WAIT));
                    }
                } catch (WakeupException e) {
                    // leaving
                } catch (RuntimeException e) {
                    if (stopped) {
                        return;
                    }
                    log.warn("projection '{}': its membership of consumer group '{}' failed ({}); joining again in {}"
                            + " ms", projection, group, e.toString(), pause);
                    try {
                        if (stopping.await(pause, TimeUnit.MILLISECONDS)) {
                            return;
                        }
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    pause = Math.min(pause * 2, MAX_REJOIN_PAUSE.toMillis());
                }
            }
        }

        void stop() {
            stopped = true;
            Consumer<byte[], byte[]> leaving = member;
            if (leaving != null) {
                leaving.wakeup();
            }
            stopping.countDown();
            try {
                thread.join(CLOSE_WAIT.toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Keeps what the group assigns paused: the member never fetches. Runs in its polls. */
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
        Session member = session;
        return "GroupMembership[" + group + " on '" + topic + "', assigned " + (member == null ? "nothing"
                : member.assigned) + "]";
    }
}
