package dev.kappa.kafka.source;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.SegmentStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of an application run a Kafka-fed projection: the projection's consumer group spreads the topic's
 * partitions over them, each processes the partitions the group assigned it, and when one stops the group moves its
 * partitions to the other, which goes on from the positions committed with the read model: every event once.
 */
class KafkaFedGroupIntegrationTest extends KafkaFedTest {

    private static final String GROUP = KafkaRecordSources.GROUP_PREFIX + "account-activity";
    private static final Duration LEASE = Duration.ofSeconds(2);

    KafkaFedGroupIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    int partitions() {
        return 4;
    }

    @Test
    void eachInstanceProcessesThePartitionsTheGroupAssignsItAndTheSurvivorTakesOverTheOthers() throws Exception {
        // given 2,000 deposits relayed to a topic of 4 partitions
        deposit(2_000, 40);
        relay(0);

        // when two instances run the projection, each a member of its consumer group
        KafkaRecordSources firstSources = sources(Map.of("client.id", "first"));
        ProjectionRuntime first = instance("first", firstSources);
        ProjectionRuntime second = instance("second", sources(Map.of("client.id", "second")));
        first.start();
        second.start();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            // then the group gives each some of the partitions, and each instance processes exactly those
            await().atMost(PATIENCE).untilAsserted(() -> {
                Map<Integer, String> assignment = assignment(admin);
                assertThat(assignment).hasSize(4);
                assertThat(assignment.values()).contains("first", "second");
                assertThat(owners(second)).isEqualTo(assignment);
            });
            long before = store.head();
            deposit(500, 40);
            relay(before);
            assertThat(second.awaitCheckpoint("account-activity", store.head(), PATIENCE).reached()).isTrue();
            assertThat(activity()).isEqualTo(replay());

            // and when one instance stops, the group moves its partitions to the other, which processes them all
            first.close();
            firstSources.close();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(assignment(admin)).containsOnlyKeys(0, 1, 2, 3).containsValues("second")
                        .doesNotContainValue("first");
                assertThat(owners(second)).isEqualTo(assignment(admin));
            });
            before = store.head();
            deposit(500, 40);
            relay(before);
            assertThat(second.awaitCheckpoint("account-activity", store.head(), PATIENCE).reached()).isTrue();
        }

        // and every event was applied once: the read model equals a replay
        assertThat(jdbc.queryForObject("SELECT count(*) FROM activity_applications", Long.class)).isEqualTo(3_000);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT log_offset) FROM activity_applications", Long.class))
                .isEqualTo(3_000);
        assertThat(activity()).isEqualTo(replay());
    }

    private ProjectionRuntime instance(String instanceId, KafkaRecordSources sources) {
        return runtime(builder -> builder.instanceId(instanceId).leaseDuration(LEASE).recordSources(sources),
                new AccountActivity(dataSource));
    }

    /** Which instance the stable group assigns each partition to (its members' client ids start with the instance). */
    private Map<Integer, String> assignment(Admin admin) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
        assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
        Map<Integer, String> assignment = new HashMap<>();
        for (MemberDescription member : group.members()) {
            String instance = member.clientId().substring(0, member.clientId().indexOf('-'));
            for (TopicPartition partition : member.assignment().topicPartitions()) {
                assignment.put(partition.partition(), instance);
            }
        }
        return assignment;
    }

    /** Which instance holds each segment's lease, as the projection's status shows it. */
    private static Map<Integer, String> owners(ProjectionRuntime runtime) {
        Map<Integer, String> owners = new HashMap<>();
        for (SegmentStatus segment : runtime.status("account-activity").current().orElseThrow().segments()) {
            if (segment.owner() != null) {
                owners.put(segment.segment(), segment.owner());
            }
        }
        return owners;
    }
}
