package dev.kappa.projections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.projections.source.RecordSource;
import dev.kappa.projections.source.RecordSources;
import dev.kappa.projections.source.SourcePage;
import dev.kappa.projections.source.SourcePartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A projection that reads a topic through the record-source seam, with a topic of this test's own in memory: its
 * partitions are the segments, positions are the partitions' own, a wait by log offset waits for the positions the
 * source names, a reset goes back to 0 only, and a partition that has nothing yet without knowing it is at its head
 * does not count as caught up; where the source places its partitions itself, its assignment alone decides where they
 * are processed.
 */
class TopicSourceIntegrationTest extends ProjectionIntegrationTest {

    TopicSourceIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void aPartitionThatHasNothingYetWithoutKnowingItIsAtItsHeadDoesNotCountAsCaughtUp() throws Exception {
        // given a topic of two partitions holding 40 records, whose partitions do not answer yet
        FakeTopic topic = new FakeTopic(2);
        appendDeposits(40, 8);
        topic.publish(store.readLog(0, 100));
        topic.stalled.set(true);
        ProjectionRuntime runtime = runtime(builder -> builder.recordSources(topic), new TopicRecording(dataSource));
        runtime.start();

        // then it never counts as caught up while they do not
        await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> !runtime.isCaughtUp("topic-recording"));
        assertThat(sql.queryLong("SELECT count(*) FROM topic_recorded")).isZero();

        // and once they answer, every record is applied once, a wait by log offset being reached at their positions
        topic.stalled.set(false);
        CheckpointWait wait = runtime.awaitCheckpoint("topic-recording", store.head(), PATIENCE);
        assertThat(wait.reached()).isTrue();
        assertThat(wait.checkpoint()).isEqualTo(store.head());
        await().atMost(PATIENCE).until(() -> runtime.isCaughtUp("topic-recording"));
        assertThat(sql.queryLong("SELECT count(*) FROM topic_recorded")).isEqualTo(40);
        assertThat(sql.queryLongs("SELECT checkpoint FROM kappa_projection_segments WHERE projection ="
                + " 'topic-recording' ORDER BY segment")).containsExactly((long) topic.size(0), (long) topic.size(1));
        assertThat(runtime.status("topic-recording").current().orElseThrow().segments())
                .allSatisfy(segment -> assertThat(segment.lag()).isZero());
    }

    @Test
    void aTopicFedProjectionResetsToZeroOnlyAndReplaysItsTopic() throws Exception {
        // given a projection that has applied a topic of three partitions
        FakeTopic topic = new FakeTopic(3);
        appendDeposits(30, 6);
        topic.publish(store.readLog(0, 100));
        TopicRecording recording = new TopicRecording(dataSource);
        ProjectionRuntime runtime = runtime(builder -> builder.recordSources(topic), recording);
        runtime.start();
        assertThat(runtime.awaitCheckpoint("topic-recording", store.head(), PATIENCE).reached()).isTrue();

        // when it is reset to 0, it replays the topic
        runtime.reset("topic-recording");
        assertThat(runtime.awaitCheckpoint("topic-recording", store.head(), PATIENCE).reached()).isTrue();
        assertThat(recording.handled.get()).isEqualTo(60);
        assertThat(sql.queryLong("SELECT count(*) FROM topic_recorded")).isEqualTo(30);

        // and a reset to a log offset is refused, even where its reset handler could go back to one
        assertThatThrownBy(() -> runtime.reset("topic-recording", 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reads topic 'fake'");
    }

    @Test
    void aProjectionThatNamesATopicCannotRegisterWhereNoSourcesWereGivenOrWithAnotherSegmentCount() {
        assertThatThrownBy(() -> runtime(builder -> {
        }, new TopicRecording(dataSource)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reads topic 'fake', but Kafka is not configured");
        assertThatThrownBy(() -> runtime(builder -> builder.recordSources(new FakeTopic(2)), new ThreeSegments()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("which has 2 partitions, but declares 3 segments");
        assertThatCode(() -> runtime(builder -> builder.recordSources(new FakeTopic(2)).topic("three-segments",
                ""), new ThreeSegments()).start())
                .as("a topic emptied by the runtime's settings reads the log")
                .doesNotThrowAnyException();
    }

    @Test
    void whereTheSourcePlacesItsPartitionsItsAssignmentAloneDecidesWhereEachIsProcessed() throws Exception {
        // given a topic of four partitions and two instances, the source assigning every partition to the first
        FakeTopic topic = new FakeTopic(4);
        appendDeposits(40, 8);
        topic.publish(store.readLog(0, 100));
        PlacedTopic first = new PlacedTopic(topic, Set.of(0, 1, 2, 3));
        PlacedTopic second = new PlacedTopic(topic, Set.of());
        TopicRecording inFirst = new TopicRecording(dataSource);
        TopicRecording inSecond = new TopicRecording(dataSource);
        ProjectionRuntime a = runtime(builder -> builder.instanceId("a").recordSources(first), inFirst);
        ProjectionRuntime b = runtime(builder -> builder.instanceId("b").recordSources(second), inSecond);
        b.start();
        a.start();

        // then the first takes all four, though a fair share among two members would be two
        await().atMost(PATIENCE).until(() -> owners().equals(List.of("a", "a", "a", "a")));
        assertThat(a.awaitCheckpoint("topic-recording", store.head(), PATIENCE).reached()).isTrue();

        // when the source moves partitions 0 and 1 to the second instance
        second.assigned = Set.of(0, 1);
        first.assigned = Set.of(2, 3);

        // then each instance holds exactly the partitions assigned to it, and every record was applied once
        await().atMost(PATIENCE).until(() -> owners().equals(List.of("b", "b", "a", "a")));
        appendDeposits(40, 8);
        topic.publish(store.readLog(40, 100));
        assertThat(b.awaitCheckpoint("topic-recording", store.head(), PATIENCE).reached()).isTrue();
        assertThat(sql.queryLong("SELECT count(*) FROM topic_recorded")).isEqualTo(80);
        assertThat(inFirst.handled.get() + inSecond.handled.get()).isEqualTo(80);
        assertThat(inSecond.handled.get()).isPositive();
        assertThat(owners()).containsExactly("b", "b", "a", "a");
    }

    /** The owner of each segment of the projection, by segment: an empty string for none. */
    private List<String> owners() {
        return jdbc.queryForList("SELECT coalesce(owner, '') FROM kappa_projection_segments"
                + " WHERE projection = 'topic-recording' ORDER BY segment", String.class);
    }

    /** Declares a segment count topic "fake" does not have. */
    @Projection(value = "three-segments", topic = "fake", segments = 3)
    static final class ThreeSegments {
        @EventHandler
        void on(Object event) {
        }
    }

    /** Records what it applies, from topic "fake". */
    @Projection(value = "topic-recording", topic = "fake")
    static final class TopicRecording extends RecordingProjection {
        TopicRecording(DataSource dataSource) {
            super(dataSource, "topic_recorded");
        }
    }

    /**
     * A topic in memory: records spread over partitions by stream, a record's position its index in its partition
     * plus one; while {@link #stalled}, reads answer nothing without claiming the head.
     */
    static final class FakeTopic implements RecordSources, RecordSource {
        final AtomicBoolean stalled = new AtomicBoolean();
        private final List<List<LogRecord>> partitions = new ArrayList<>();

        FakeTopic(int partitions) {
            for (int i = 0; i < partitions; i++) {
                this.partitions.add(new CopyOnWriteArrayList<>());
            }
        }

        void publish(List<LogRecord> records) {
            for (LogRecord record : records) {
                partitions.get(Math.floorMod(record.streamId().hashCode(), partitions.size())).add(record);
            }
        }

        int size(int partition) {
            return partitions.get(partition).size();
        }

        @Override
        public RecordSource topic(String topic, String projection) {
            return this;
        }

        @Override
        public OptionalInt partitions() {
            return OptionalInt.of(partitions.size());
        }

        @Override
        public Optional<long[]> positionsThrough(long logOffset, int count, Duration timeout) {
            long[] positions = new long[count];
            for (int p = 0; p < count; p++) {
                List<LogRecord> records = partitions.get(p);
                for (int i = 0; i < records.size(); i++) {
                    if (records.get(i).offset() <= logOffset) {
                        positions[p] = i + 1;
                    }
                }
            }
            return Optional.of(positions);
        }

        @Override
        public Optional<long[]> heads() {
            return Optional.of(partitions.stream().mapToLong(List::size).toArray());
        }

        @Override
        public SourcePartition partition(int partition, int count) {
            List<LogRecord> records = partitions.get(partition);
            return new SourcePartition() {
                @Override
                public SourcePage read(long after, int limit) {
                    if (stalled.get()) {
                        return SourcePage.of(List.of(), new long[0], after, false, after);
                    }
                    int from = (int) after;
                    int to = Math.min(records.size(), from + limit);
                    long[] positions = new long[Math.max(0, to - from)];
                    for (int i = 0; i < positions.length; i++) {
                        positions[i] = from + i + 1;
                    }
                    return SourcePage.of(List.copyOf(records.subList(from, Math.max(from, to))), positions,
                            Math.max(after, to), to >= records.size(), records.size());
                }

                @Override
                public long head() {
                    return records.size();
                }

                @Override
                public void awaitAfter(long position, Duration timeout) throws InterruptedException {
                    Thread.sleep(Math.min(20, timeout.toMillis()));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** One instance's view of a {@link FakeTopic} whose partitions the source places: those {@link #assigned} here. */
    static final class PlacedTopic implements RecordSources, RecordSource {
        private final FakeTopic topic;
        volatile Set<Integer> assigned;

        PlacedTopic(FakeTopic topic, Set<Integer> assigned) {
            this.topic = topic;
            this.assigned = assigned;
        }

        @Override
        public RecordSource topic(String name, String projection) {
            return this;
        }

        @Override
        public OptionalInt partitions() {
            return topic.partitions();
        }

        @Override
        public Optional<long[]> positionsThrough(long logOffset, int count, Duration timeout) {
            return topic.positionsThrough(logOffset, count, timeout);
        }

        @Override
        public Optional<long[]> heads() {
            return topic.heads();
        }

        @Override
        public boolean placesPartitions() {
            return true;
        }

        @Override
        public SourcePartition partition(int partition, int count) {
            SourcePartition records = topic.partition(partition, count);
            return new SourcePartition() {
                @Override
                public SourcePage read(long after, int limit) {
                    return records.read(after, limit);
                }

                @Override
                public long head() {
                    return records.head();
                }

                @Override
                public void awaitAfter(long position, Duration timeout) throws InterruptedException {
                    records.awaitAfter(position, timeout);
                }

                @Override
                public boolean assignedHere() {
                    return assigned.contains(partition);
                }

                @Override
                public void close() {
                    records.close();
                }
            };
        }
    }
}
