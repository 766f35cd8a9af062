package dev.kappa.kafka.source;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.projections.CheckpointWait;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.FailureMode;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.ProjectionState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Projections fed by a Kafka topic the relay writes: partitions are segments, positions are kept in PostgreSQL with
 * the read model (and mirrored to the consumer group, whose member the instance is), reset and blue-green rebuild
 * replay the topic, read-your-writes works by log offset, and failures are handled as for projections of the log.
 */
class KafkaFedProjectionIntegrationTest extends KafkaFedTest {

    KafkaFedProjectionIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void everyRelayedRecordIsAppliedExactlyOnceWithOneSegmentPerPartition() throws Exception {
        // given 2,000 deposits in the log, relayed to a topic of 3 partitions
        deposit(2_000, 40);
        relay(0);
        AccountActivity activity = new AccountActivity(dataSource);

        // when a projection reads the topic, and more are relayed while it runs
        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(300), activity);
        runtime.start();
        long before = store.head();
        deposit(500, 40);
        relay(before);

        // then it applies each record once: its read model equals a replay of the log
        CheckpointWait wait = runtime.awaitCheckpoint("account-activity", store.head(), PATIENCE);
        assertThat(wait.reached()).as("applied %s", wait).isTrue();
        assertThat(activity()).isEqualTo(replay());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM activity_applications", Long.class)).isEqualTo(2_500);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT log_offset) FROM activity_applications", Long.class))
                .isEqualTo(2_500);
        assertThat(activity.handled.get()).isEqualTo(2_500);
        // and the topic's partitions are its segments
        assertThat(jdbc.queryForObject("SELECT segment_count FROM kappa_projection_generations"
                + " WHERE projection = 'account-activity'", Integer.class)).isEqualTo(3);
        assertThat(runtime.status("account-activity").current().orElseThrow().segments()).hasSize(3);

        // and the consumer group mirrors the positions kept in PostgreSQL, which are the partitions' end offsets
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, Long> ends = endOffsets(admin);
            Map<TopicPartition, Long> checkpoints = new HashMap<>();
            jdbc.query("SELECT segment, checkpoint FROM kappa_projection_segments WHERE projection = 'account-activity'",
                    rs -> {
                        checkpoints.put(new TopicPartition(topic, rs.getInt(1)), rs.getLong(2));
                    });
            assertThat(checkpoints).isEqualTo(ends);
            // and status shows each segment against its partition's end offset: no lag
            assertThat(runtime.status("account-activity").current().orElseThrow().segments()).allSatisfy(segment -> {
                assertThat(segment.head()).isEqualTo(ends.get(new TopicPartition(topic, segment.segment())));
                assertThat(segment.lag()).isZero();
            });
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(mirrored(admin)).isEqualTo(ends));
            // and the group has this instance as its active member, assigned every partition of the topic
            await().atMost(PATIENCE).untilAsserted(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(
                        List.of(KafkaRecordSources.GROUP_PREFIX + "account-activity")).all().get()
                        .get(KafkaRecordSources.GROUP_PREFIX + "account-activity");
                assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(group.members()).singleElement().satisfies(member -> assertThat(
                        member.assignment().topicPartitions()).containsExactlyInAnyOrderElementsOf(ends.keySet()));
            });
        }
    }

    @Test
    void awaitCheckpointByLogOffsetWaitsUntilTheRelayHasCarriedItAndEveryPartitionIsApplied() throws Exception {
        // given a running Kafka-fed projection that has applied what was relayed
        deposit(100, 10);
        relay(0);
        ProjectionRuntime runtime = started(new AccountActivity(dataSource));
        assertThat(runtime.awaitCheckpoint("account-activity", store.head(), PATIENCE).reached()).isTrue();

        // when an event is appended but not relayed yet
        long before = store.head();
        AppendResult write = store.append("account-new", ExpectedVersion.any(),
                List.of(NewEvent.of(new Deposited(7))));

        // then a wait for its offset is not reached
        CheckpointWait early = runtime.awaitCheckpoint("account-activity", write.toOffset(), Duration.ofMillis(300));
        assertThat(early.reached()).isFalse();
        assertThat(early.checkpoint()).isLessThan(write.toOffset());

        // and once the relay carries it, the wait returns with the event applied
        CompletableFuture<Void> relaying = CompletableFuture.runAsync(() -> {
            sleep(300);
            relay(before);
        });
        CheckpointWait wait = runtime.awaitCheckpoint("account-activity", write.toOffset(), PATIENCE);
        assertThat(wait.reached()).isTrue();
        assertThat(wait.checkpoint()).isEqualTo(write.toOffset());
        assertThat(jdbc.queryForObject("SELECT total FROM account_activity WHERE account = 'account-new'", Long.class))
                .isEqualTo(7);
        relaying.get(10, TimeUnit.SECONDS);
        // and an offset already applied is answered at once
        assertThat(runtime.awaitCheckpoint("account-activity", 1, Duration.ZERO).reached()).isTrue();
    }

    @Test
    void resetToZeroReplaysTheTopicFromItsStartAndAResetToAnOffsetIsRefused() throws Exception {
        // given a Kafka-fed projection that has applied 600 records
        deposit(600, 20);
        relay(0);
        AccountActivity activity = new AccountActivity(dataSource);
        ProjectionRuntime runtime = started(activity);
        assertThat(runtime.awaitCheckpoint("account-activity", store.head(), PATIENCE).reached()).isTrue();

        // when it is reset to 0
        runtime.reset("account-activity");

        // then it replays the whole topic: every record applied once more, the read model as a replay gives it
        assertThat(runtime.awaitCheckpoint("account-activity", store.head(), PATIENCE).reached()).isTrue();
        await().atMost(PATIENCE).until(() -> runtime.isCaughtUp("account-activity"));
        assertThat(activity.handled.get()).isEqualTo(1_200);
        assertThat(activity()).isEqualTo(replay());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM activity_applications", Long.class)).isEqualTo(600);

        // and a reset to a log offset is refused: a topic's positions are not log offsets
        assertThatThrownBy(() -> runtime.reset("account-activity", 300))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reads topic '" + topic + "'")
                .hasMessageContaining("reset it to 0")
                .hasMessageContaining("rebuild it blue-green");
    }

    @Test
    void aBlueGreenRebuildReplaysTheTopicBesideTheReadModelAndSwitchesReaders() throws Exception {
        // given a blue-green projection built from the topic, serving readers through its view
        deposit(800, 20);
        relay(0);
        ProjectionRuntime runtime = started(new ActivityTotals(dataSource));
        assertThat(runtime.awaitCheckpoint("activity-totals", store.head(), PATIENCE).reached()).isTrue();
        await().atMost(PATIENCE).until(() -> runtime.status("activity-totals").current().isPresent());
        Map<String, List<Long>> before = totals();
        assertThat(before).isEqualTo(expectedTotals());

        // when it is rebuilt
        runtime.rebuild("activity-totals");

        // then a new generation replays the topic from its start, and readers switch to it
        await().atMost(PATIENCE).until(() -> runtime.status("activity-totals").current().orElseThrow().generation()
                == 2 && runtime.status("activity-totals").rebuild().isEmpty());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kappa_projection_segments WHERE projection ="
                + " 'activity-totals' AND generation = 2", Long.class)).isEqualTo(3);
        assertThat(totals()).isEqualTo(expectedTotals());
        long after = store.head();
        deposit(10, 20);
        relay(after);
        assertThat(runtime.awaitCheckpoint("activity-totals", store.head(), PATIENCE).reached()).isTrue();
        assertThat(totals()).isEqualTo(expectedTotals());
    }

    @Test
    void aTopicThatCannotBeReadFailsRegistrationSayingWhatToDo() {
        // a topic that does not exist
        assertThatThrownBy(() -> runtime(builder -> builder.topic("account-activity", "no-such-topic"),
                new AccountActivity(dataSource)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic 'no-such-topic'")
                .hasMessageContaining("does not exist")
                .hasMessageContaining("kappa.projections.topics.account-activity");
        // Kafka not configured
        ProjectionRuntime withoutKafka = closeAfterTest(ProjectionRuntime.builder(dataSource, store).build());
        assertThatThrownBy(() -> withoutKafka.register(new AccountActivity(dataSource)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reads topic 'accounts', but Kafka is not configured");
        // no brokers given
        assertThatThrownBy(() -> new KafkaRecordSources(Map.of(), positionTopic))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spring.kafka.bootstrap-servers");
        // a segment count that is not the partition count
        assertThatThrownBy(() -> runtime(builder -> builder.topic("four-segments", topic), new FourSegments()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 3 partitions, but declares 4 segments");
    }

    @Test
    void aRecordTheRelayDidNotWriteIsParkedAsADeadLetterNamingItsKafkaCoordinates() throws Exception {
        // given a topic holding relayed deposits and, between them, a record Kappa's relay never wrote
        deposit(20, 1);
        relay(0);
        relay.publishForeign(topic, "account-0", "not an event");
        long before = store.head();
        deposit(20, 1);
        relay(before);

        // when a dead-letter projection reads it
        ProjectionRuntime runtime = runtime(builder -> builder.failureMode(FailureMode.DEAD_LETTER),
                new AccountActivity(dataSource));
        runtime.start();

        // then it parks that record, naming where it lies, and applies every relayed one
        assertThat(runtime.awaitCheckpoint("account-activity", store.head(), PATIENCE).reached()).isTrue();
        await().atMost(PATIENCE).until(() -> runtime.deadLetters("account-activity").size() == 1);
        DeadLetter letter = runtime.deadLetters("account-activity").get(0);
        assertThat(letter.message()).contains(topic + "-").contains("was not published by Kappa's relay");
        assertThat(letter.state()).isEqualTo(DeadLetter.State.PARKED);
        assertThat(activity()).isEqualTo(replay());
    }

    @Test
    void aFailingEventStopsItsSegmentAndCanBeSkippedAndReplayedByItsLogOffset() throws Exception {
        // given a projection that fails on a negative deposit, among others
        deposit(30, 3);
        AppendResult poison = store.append("account-1", ExpectedVersion.any(),
                List.of(NewEvent.of(new Deposited(-5))));
        deposit(30, 3);
        relay(0);
        AccountActivity activity = new AccountActivity(dataSource);
        ProjectionRuntime runtime = started(activity);

        // when its segment stops at it
        await().atMost(PATIENCE).until(() -> runtime.status("account-activity").state() == ProjectionState.FAILED);
        ProjectionFailure failure = runtime.status("account-activity").current().orElseThrow().segments().stream()
                .flatMap(segment -> segment.failure().stream()).findFirst().orElseThrow();

        // then the failure names the event by its log offset, by which an operator skips it
        assertThat(failure.offset()).isEqualTo(poison.toOffset());
        runtime.skip("account-activity", poison.toOffset(), "ops", "a negative deposit");
        assertThat(runtime.awaitCheckpoint("account-activity", store.head(), PATIENCE).reached()).isTrue();
        DeadLetter skipped = runtime.deadLetters("account-activity").get(0);
        assertThat(skipped.offset()).isEqualTo(poison.toOffset());
        assertThat(skipped.state()).isEqualTo(DeadLetter.State.SKIPPED);

        // and, once the handler is fixed, replays it from what the dead letter holds
        activity.poisoned.set(false);
        List<DeadLetter> replayed = runtime.replay("account-activity", poison.toOffset(), "ops");
        assertThat(replayed).singleElement().extracting(DeadLetter::state).isEqualTo(DeadLetter.State.REPLAYED);
        assertThat(activity()).isEqualTo(replay());
    }

    @Test
    void recordsRetentionDeletedBeforeTheProjectionReadThemArePassedOverAndTheRestApplied() throws Exception {
        // given a topic whose partition 0 lost its first records to retention before the projection read them
        deposit(300, 30);
        relay(0);
        TopicPartition first = new TopicPartition(topic, 0);
        long deleted;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            long end = endOffsets(admin).get(first);
            deleted = recordsBelow(first, end / 2);
            admin.deleteRecords(Map.of(first, RecordsToDelete.beforeOffset(end / 2))).all().get();
        }
        assertThat(deleted).isPositive();

        // when a projection reads the topic from its start
        ProjectionRuntime runtime = started(new AccountActivity(dataSource));

        // then it goes on from the partition's first record left, and applies every record that is left once
        assertThat(runtime.awaitCheckpoint("account-activity", store.head(), PATIENCE).reached()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM activity_applications", Long.class))
                .isEqualTo(300 - deleted);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT log_offset) FROM activity_applications", Long.class))
                .isEqualTo(300 - deleted);
    }

    /** Declares a segment count its topic does not have. */
    @dev.kappa.projections.Projection(value = "four-segments", segments = 4)
    static final class FourSegments {
        @dev.kappa.projections.EventHandler
        void on(Deposited deposit) {
        }
    }

    private Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < partitions(); partition++) {
            latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** How many committed records a partition holds below {@code offset}. */
    private long recordsBelow(TopicPartition partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers(), "isolation.level", "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, 0);
            long count = 0;
            while (consumer.position(partition) < offset) {
                for (var record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                    if (record.offset() < offset) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    private Map<TopicPartition, Long> mirrored(Admin admin) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                KafkaRecordSources.GROUP_PREFIX + "account-activity").partitionsToOffsetAndMetadata().get();
        committed.forEach((partition, offset) -> {
            if (partition.topic().equals(topic)) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    private Map<String, List<Long>> totals() {
        Map<String, List<Long>> rows = new java.util.TreeMap<>();
        jdbc.query("SELECT account, deposits, total FROM activity_totals", rs -> {
            rows.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3)));
        });
        return rows;
    }

    private Map<String, List<Long>> expectedTotals() {
        Map<String, List<Long>> expected = new java.util.TreeMap<>();
        replay().forEach((account, row) -> expected.put(account, List.of(row.get(0), row.get(1))));
        return expected;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
