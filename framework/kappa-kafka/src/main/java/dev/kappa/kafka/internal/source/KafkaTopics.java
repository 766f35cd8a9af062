package dev.kappa.kafka.internal.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.projections.source.RecordSource;

/**
 * The Kafka side of {@code KafkaRecordSources}: the clients its sources share (an admin client, the relay's position),
 * created at first use, and the consumers each partition gets, configured as Kappa needs them whatever the
 * application's properties say: assigned (the group membership is {@link GroupMembership}'s alone), read_committed
 * (never a record of a transaction that did not commit), no auto-commit (positions are kept in PostgreSQL; the group's
 * offsets are a mirror), no topic created by reading.
 *
 * <p>Thread-safe.
 */
public final class KafkaTopics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);
    /** How long looking up a topic at registration waits for Kafka. */
    private static final Duration LOOKUP_WAIT = Duration.ofSeconds(30);
    /** What a partition's consumer fetches at most per poll, unless the application says otherwise: replays are fast. */
    private static final int MAX_POLL_RECORDS = 10_000;
    private static final int MAX_PARTITION_FETCH_BYTES = 8 * 1024 * 1024;

    private final Map<String, Object> properties;
    private final String groupPrefix;
    private final RelayPosition relay;
    private final AtomicInteger clients = new AtomicInteger();
    /** Decodes fetched records for every partition, while their workers apply the records before them. */
    private final ExecutorService decoder = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "kappa-kafka-decode");
        thread.setDaemon(true);
        return thread;
    });
    private final List<GroupMembership> memberships = new ArrayList<>();
    private Admin admin;
    private boolean closed;

    /**
     * @param properties    the application's Kafka client properties: bootstrap servers, security and the like
     * @param positionTopic the relay's position topic
     * @param groupPrefix   the prefix of the consumer groups that mirror projections' positions
     */
    public KafkaTopics(Map<String, ?> properties, String positionTopic, String groupPrefix) {
        this.properties = Map.copyOf(properties);
        this.groupPrefix = groupPrefix;
        this.relay = new RelayPosition(positionTopic, () -> consumer(null, "relay-position"));
    }

    /**
     * The source of {@code topic} for {@code projection}: one segment per partition.
     *
     * @throws IllegalArgumentException if the topic does not exist
     * @throws IllegalStateException    if Kafka cannot be asked
     */
    public RecordSource source(String topic, String projection) {
        Admin asking = admin();
        TopicDescription description;
        try {
            description = asking.describeTopics(List.of(topic)).allTopicNames()
                    .get(LOOKUP_WAIT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException("projection '" + projection + "' reads topic '" + topic + "', which"
                        + " does not exist on the Kafka cluster at " + servers() + ": start the relay that writes it"
                        + " (it creates its topics), or correct the topic's name (@Projection(topic) or"
                        + " kappa.projections.topics." + projection + ")", e.getCause());
            }
            throw new IllegalStateException("could not look up topic '" + topic + "' (read by projection '"
                    + projection + "') on the Kafka cluster at " + servers() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Kafka cluster at " + servers() + " did not answer within "
                    + LOOKUP_WAIT.toSeconds() + " s when projection '" + projection + "' looked up topic '" + topic
                    + "': check spring.kafka.bootstrap-servers and that the brokers are up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up topic '" + topic + "'", e);
        }
        int partitions = description.partitions().size();
        log.info("projection '{}' reads topic '{}': {} partitions, one segment each; positions mirrored to consumer"
                + " group '{}'", projection, topic, partitions, groupPrefix + projection);
        String group = groupPrefix + projection;
        GroupMembership membership = new GroupMembership(topic, projection, group, () -> member(group, projection));
        synchronized (this) {
            memberships.add(membership);
        }
        return new KafkaTopicSource(topic, projection, partitions, () -> consumer(group, projection), membership,
                asking, relay, decoder);
    }

    /**
     * Leaves the projections' consumer groups, stops following the relay's position and closes the admin client; the
     * partitions' consumers are the workers'.
     */
    @Override
    public void close() {
        List<GroupMembership> leaving;
        synchronized (this) {
            leaving = List.copyOf(memberships);
            memberships.clear();
        }
        leaving.forEach(GroupMembership::close);
        relay.close();
        decoder.shutdown();
        Admin closing;
        synchronized (this) {
            closed = true;
            closing = admin;
            admin = null;
        }
        if (closing != null) {
            closing.close(Duration.ofSeconds(5));
        }
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("the Kafka record sources are closed");
        }
        if (admin == null) {
            Map<String, Object> config = only(AdminClientConfig.configNames());
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId("admin"));
            admin = Admin.create(config);
        }
        return admin;
    }

    /** A consumer as Kappa needs one: of {@code group} if not null (for the mirror's commits only), never a member. */
    private Consumer<byte[], byte[]> consumer(String group, String purpose) {
        Map<String, Object> config = only(ConsumerConfig.configNames());
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // a partition's consumer always seeks (auto.offset.reset=none reports a position outside the partition);
        // the relay's position is read from the start
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, group == null ? "earliest" : "none");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(purpose));
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A member of {@code group}, subscribing rather than assigned: it never fetches, it holds the membership that lets
     * Kafka decide where each partition is processed. Cooperative rebalancing, so that a partition that stays here is
     * not taken away and given back at every rebalance; the classic protocol, which every broker speaks.
     */
    private Consumer<byte[], byte[]> member(String group, String purpose) {
        Map<String, Object> config = only(ConsumerConfig.configNames());
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        config.remove(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // it never fetches, but a partition assigned to it gets a position all the same
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(purpose + "-member"));
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> only(java.util.Set<String> names) {
        Map<String, Object> config = new HashMap<>();
        properties.forEach((name, value) -> {
            if (names.contains(name) && value != null) {
                config.put(name, value);
            }
        });
        return config;
    }

    private String clientId(String purpose) {
        Object prefix = properties.get(ConsumerConfig.CLIENT_ID_CONFIG);
        return (prefix == null ? "kappa" : prefix) + "-" + purpose + "-" + clients.incrementAndGet();
    }

    private String servers() {
        Object servers = properties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        return servers == null ? "(no bootstrap.servers given)" : servers.toString();
    }
}
