package dev.kappa.kafka.internal.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.kafka.relay.RelayTopicException;
import dev.kappa.kafka.relay.RelayTopics;

/**
 * The relay's topics as it needs them: retained topics delete nothing ({@code cleanup.policy=delete},
 * {@code retention.ms=-1}), the compacted topic and the position topic (one partition) keep the latest record per key
 * ({@code cleanup.policy=compact}). {@link #prepare} creates the absent ones and checks the policy of the others;
 * {@link #verifyUnchanged} tells whether one was deleted (or deleted and created again, under a new topic id) since.
 * Kafka failures (an unreachable broker: {@link org.apache.kafka.common.errors.TimeoutException}) are thrown as they
 * are, for the caller to retry.
 *
 * <p>Immutable and thread-safe; the {@link Admin} passed in is the caller's.
 */
public final class RelayTopicLayout {

    private static final Logger log = LoggerFactory.getLogger(RelayTopicLayout.class);

    private static final String DELETE = TopicConfig.CLEANUP_POLICY_DELETE;
    private static final String COMPACT = TopicConfig.CLEANUP_POLICY_COMPACT;

    /** One topic the relay writes: its name, its part in the layout, the policy it needs, how to create it. */
    record Wanted(String name, String role, String policy, int partitions, short replicationFactor,
                  Map<String, String> configs) {
    }

    private final List<Wanted> topics;

    private RelayTopicLayout(List<Wanted> topics) {
        this.topics = List.copyOf(topics);
    }

    /**
     * The layout of {@code topics}.
     *
     * @throws IllegalArgumentException if one topic name is given two parts that need different policies (the
     *                                  compacted topic also a route's topic, say) or the position topic is also a
     *                                  record topic
     */
    public static RelayTopicLayout of(RelayTopics topics) {
        Map<String, Wanted> byName = new LinkedHashMap<>();
        short replication = topics.replicationFactor();
        add(byName, new Wanted(topics.retained(), "retained topic", DELETE, topics.partitions(), replication,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, DELETE, TopicConfig.RETENTION_MS_CONFIG, "-1")));
        topics.routes().forEach((prefix, topic) -> add(byName, new Wanted(topic,
                "retained topic of streams '" + prefix + "*'", DELETE, topics.partitions(), replication,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, DELETE, TopicConfig.RETENTION_MS_CONFIG, "-1"))));
        add(byName, new Wanted(topics.compacted(), "compacted topic", COMPACT, topics.partitions(), replication,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, COMPACT)));
        add(byName, new Wanted(topics.position(), "position topic", COMPACT, 1, replication,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, COMPACT)));
        return new RelayTopicLayout(new ArrayList<>(byName.values()));
    }

    private static void add(Map<String, Wanted> byName, Wanted wanted) {
        Wanted earlier = byName.get(wanted.name());
        if (earlier == null) {
            byName.put(wanted.name(), wanted);
            return;
        }
        boolean positionShared = earlier.role().equals("position topic") || wanted.role().equals("position topic");
        if (!earlier.policy().equals(wanted.policy()) || positionShared) {
            throw new IllegalArgumentException("topic '" + wanted.name() + "' is configured as the relay's "
                    + earlier.role() + " and as its " + wanted.role() + "; they need topics of their own: give one of"
                    + " them another name");
        }
    }

    /** Every topic's name. */
    public List<String> names() {
        return topics.stream().map(Wanted::name).toList();
    }

    /**
     * Creates the topics that do not exist and checks the cleanup policy of those that do.
     *
     * @return each topic's id, for {@link #verifyUnchanged}
     * @throws RelayTopicException if a topic exists with the wrong cleanup policy
     * @throws KafkaException      if Kafka cannot be reached or refuses (a timeout within {@code timeout})
     */
    public Map<String, Uuid> prepare(Admin admin, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> existing = get(admin.listTopics(new ListTopicsOptions().timeoutMs(millisLeft(deadline))).names(),
                deadline);
        List<NewTopic> absent = new ArrayList<>();
        for (Wanted wanted : topics) {
            if (!existing.contains(wanted.name())) {
                absent.add(new NewTopic(wanted.name(), Optional.of(wanted.partitions()),
                        wanted.replicationFactor() < 0 ? Optional.empty() : Optional.of(wanted.replicationFactor()))
                        .configs(wanted.configs()));
            }
        }
        if (!absent.isEmpty()) {
            create(admin, absent, deadline);
        }
        checkPolicies(admin, deadline);
        return topicIds(admin, deadline);
    }

    /**
     * Checks that every topic still is the one {@link #prepare} found.
     *
     * @throws RelayTopicException if one was deleted, or deleted and created again
     * @throws KafkaException      if Kafka cannot be reached
     */
    public void verifyUnchanged(Admin admin, Map<String, Uuid> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(names(),
                new DescribeTopicsOptions().timeoutMs(millisLeft(deadline))).topicNameValues();
        for (Wanted wanted : topics) {
            TopicDescription description;
            try {
                description = get(described.get(wanted.name()), deadline);
            } catch (UnknownTopicOrPartitionException e) {
                throw gone(wanted, "was deleted");
            }
            Uuid expected = ids.get(wanted.name());
            if (expected != null && !expected.equals(description.topicId())) {
                throw gone(wanted, "was deleted and created again (its topic id was " + expected + ", is "
                        + description.topicId() + ")");
            }
        }
    }

    private RelayTopicException gone(Wanted wanted, String what) {
        return new RelayTopicException(wanted.name(), "the relay's " + wanted.role() + " '" + wanted.name() + "' " + what
                + " while the relay ran: the relayed records it held are gone, so its consumers would see a gap, and"
                + " the relay stopped rather than go on. To recover, delete the relay's topics " + names()
                + " (the position topic included) and restart the application: the relay creates them again and"
                + " relays the whole log from offset 0; consumers of the topics must then read them from the start");
    }

    private void create(Admin admin, List<NewTopic> absent, long deadline) throws InterruptedException {
        Map<String, KafkaFuture<Void>> created = admin.createTopics(absent,
                new CreateTopicsOptions().timeoutMs(millisLeft(deadline))).values();
        for (NewTopic topic : absent) {
            try {
                get(created.get(topic.name()), deadline);
                log.info("created Kafka topic '{}' ({} partitions, {}) for the relay", topic.name(),
                        topic.numPartitions(), topic.configs());
            } catch (TopicExistsException e) {
                // another instance of the fleet created it at the same moment; its policy is checked next
            }
        }
    }

    private void checkPolicies(Admin admin, long deadline) throws InterruptedException {
        Map<ConfigResource, Wanted> resources = new LinkedHashMap<>();
        topics.forEach(wanted -> resources.put(new ConfigResource(ConfigResource.Type.TOPIC, wanted.name()), wanted));
        Map<ConfigResource, Config> configs = retryingUnknownTopic(deadline, () -> get(admin.describeConfigs(
                resources.keySet(), new DescribeConfigsOptions().timeoutMs(millisLeft(deadline))).all(), deadline));
        for (Map.Entry<ConfigResource, Wanted> entry : resources.entrySet()) {
            Wanted wanted = entry.getValue();
            Config config = configs.get(entry.getKey());
            String found = value(config, TopicConfig.CLEANUP_POLICY_CONFIG, DELETE);
            if (!policies(found).equals(Set.of(wanted.policy()))) {
                throw new RelayTopicException(wanted.name(), "the relay's " + wanted.role() + " '" + wanted.name()
                        + "' has cleanup.policy=" + found + " but the relay needs cleanup.policy=" + wanted.policy()
                        + ": " + (wanted.policy().equals(DELETE)
                        ? "compaction would drop all but the latest event of each stream"
                        : "deletion by retention would drop keys that consumers reading from offset zero need")
                        + ". Change the topic's policy (kafka-configs.sh --alter --entity-type topics --entity-name "
                        + wanted.name() + " --add-config cleanup.policy=" + wanted.policy() + ") or configure the"
                        + " relay with another topic name");
            }
            String retention = value(config, TopicConfig.RETENTION_MS_CONFIG, "-1");
            if (wanted.policy().equals(DELETE) && !retention.equals("-1")) {
                log.warn("the relay's {} '{}' has retention.ms={}: Kafka deletes its relayed records after that time,"
                        + " so consumers that start from the beginning will not see the whole log; set retention.ms=-1"
                        + " to keep them", wanted.role(), wanted.name(), retention);
            }
        }
    }

    private Map<String, Uuid> topicIds(Admin admin, long deadline) throws InterruptedException {
        Map<String, TopicDescription> described = retryingUnknownTopic(deadline, () -> get(admin.describeTopics(
                names(), new DescribeTopicsOptions().timeoutMs(millisLeft(deadline))).allTopicNames(), deadline));
        Map<String, Uuid> ids = new HashMap<>();
        described.forEach((name, description) -> ids.put(name, description.topicId()));
        return ids;
    }

    private static Set<String> policies(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(p -> !p.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String value(Config config, String name, String absent) {
        ConfigEntry entry = config == null ? null : config.get(name);
        return entry == null || entry.value() == null ? absent : entry.value();
    }

    private interface AdminCall<T> {
        T call() throws InterruptedException;
    }

    /** A topic just created may be unknown to the broker that answers for a moment: ask again until the deadline. */
    private static <T> T retryingUnknownTopic(long deadline, AdminCall<T> call) throws InterruptedException {
        while (true) {
            try {
                return call.call();
            } catch (UnknownTopicOrPartitionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    private static <T> T get(KafkaFuture<T> future, long deadline) throws InterruptedException {
        try {
            // a little longer than the call's own timeout, so that the admin client's own (clearer) timeout comes first
            return future.get(millisLeft(deadline) + 1_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException kafka) {
                throw kafka;
            }
            throw new KafkaException("the Kafka admin call failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("Kafka did not answer in time", e);
        }
    }

    private static int millisLeft(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    @Override
    public String toString() {
        Collection<String> described = topics.stream().map(w -> w.name() + " (" + w.role() + ")").toList();
        return "RelayTopicLayout" + described;
    }
}
