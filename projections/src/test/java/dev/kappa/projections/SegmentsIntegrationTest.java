package dev.kappa.projections;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.LogShare;
import dev.kappa.eventstore.SharePage;

import static org.assertj.core.api.Assertions.assertThat;

/** Segments split the log by a stable hash of the stream id; each has its own worker and checkpoint. */
class SegmentsIntegrationTest extends ProjectionIntegrationTest {

    SegmentsIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void eachStreamIsAppliedInOrderByTheOneSegmentItsIdHashesTo() throws Exception {
        appendDeposits(1_000, 37);
        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(64),
                new ResetIntegrationTest.FourSegments(dataSource));
        runtime.start();
        awaitHead(runtime, "segmented");

        List<Map<String, Object>> rows = sql.rows(
                "SELECT stream_id, stream_version, segment FROM segmented_recorded ORDER BY applied");
        assertThat(rows).hasSize(1_000);
        Map<String, Long> lastVersion = new java.util.HashMap<>();
        for (Map<String, Object> row : rows) {
            String stream = (String) row.get("stream_id");
            long version = (Long) row.get("stream_version");
            assertThat(version).as("order within %s", stream).isEqualTo(lastVersion.getOrDefault(stream, 0L) + 1);
            lastVersion.put(stream, version);
            assertThat(row.get("segment")).isEqualTo(LogShare.segmentOf(stream, 4));
        }
        assertThat(sql.queryLongs("SELECT DISTINCT segment FROM segmented_recorded ORDER BY segment"))
                .containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void eachSegmentHasACheckpointOfItsOwn() throws Exception {
        appendDeposits(100, 5);
        ProjectionRuntime runtime = started(new ResetIntegrationTest.FourSegments(dataSource));
        awaitHead(runtime, "segmented");

        List<SegmentStatus> segments = runtime.status("segmented").segments();
        assertThat(segments).extracting(SegmentStatus::segment).containsExactly(0, 1, 2, 3);
        assertThat(segments).allSatisfy(segment -> {
            assertThat(segment.checkpoint()).isEqualTo(100);
            assertThat(segment.owner()).isEqualTo(runtime.instanceId());
            assertThat(segment.state()).isEqualTo(ProjectionState.RUNNING);
        });
        assertThat(sql.queryLongs("SELECT checkpoint FROM kappa_projection_segments WHERE projection = 'segmented'"
                + " ORDER BY segment")).containsExactly(100L, 100L, 100L, 100L);
    }

    @Test
    void eachSegmentReadsOnlyItsShareAndTogetherTheyApplyEveryEventOnce() throws Exception {
        // given 1,000 events over 37 streams, and a runtime whose reads are recorded
        appendDeposits(1_000, 37);
        RecordingReader reader = new RecordingReader(store);
        ProjectionRuntime runtime = closeAfterTest(ProjectionRuntime.builder(dataSource, reader, store, store.codec())
                .retryPolicy(RetryPolicy.backOff(3, Duration.ofMillis(1), Duration.ofMillis(5)))
                .leaseDuration(Duration.ofSeconds(3)).catchUpBatchSize(64).readPageSize(20).build());
        runtime.register(new ResetIntegrationTest.FourSegments(dataSource));

        // when its four segments catch up
        runtime.start();
        awaitHead(runtime, "segmented");

        // then every event was applied once
        assertThat(sql.queryLong("SELECT count(*) FROM segmented_recorded")).isEqualTo(1_000);
        assertThat(sql.queryLong("SELECT count(DISTINCT event_offset) FROM segmented_recorded")).isEqualTo(1_000);
        // and each segment read its share and nothing else, not the whole log
        List<LogRecord> log = store.readLog(0, 2_000);
        for (int segment = 0; segment < 4; segment++) {
            LogShare share = LogShare.of(segment, 4);
            List<Long> ownOffsets = log.stream().filter(r -> share.contains(r.streamId())).map(LogRecord::offset)
                    .toList();
            List<LogRecord> read = reader.readBy(segment);
            assertThat(read).as("segment %d", segment)
                    .allSatisfy(record -> assertThat(share.contains(record.streamId())).isTrue());
            assertThat(read.stream().map(LogRecord::offset).distinct().sorted().toList()).as("segment %d", segment)
                    .containsExactlyElementsOf(ownOffsets);
            // a page read ahead and dropped (a lease renewal at the wrong moment) may be read twice; never the log
            assertThat(read.size()).as("records segment %d read", segment).isLessThanOrEqualTo(ownOffsets.size() + 40);
        }
        assertThat(reader.wholeLogRecords()).as("records read from the whole log").isLessThanOrEqualTo(4);
    }

    /** The store's reader, keeping what each segment's share reads returned. Thread-safe. */
    private static final class RecordingReader implements EventReader {
        private final EventReader reader;
        private final Map<Integer, ConcurrentLinkedQueue<LogRecord>> bySegment = new ConcurrentHashMap<>();
        private final Set<Long> wholeLog = ConcurrentHashMap.newKeySet();

        RecordingReader(EventReader reader) {
            this.reader = reader;
        }

        List<LogRecord> readBy(int segment) {
            return List.copyOf(bySegment.getOrDefault(segment, new ConcurrentLinkedQueue<>()));
        }

        int wholeLogRecords() {
            return wholeLog.size();
        }

        @Override
        public SharePage readShare(LogShare share, long afterOffset, int limit) {
            SharePage page = reader.readShare(share, afterOffset, limit);
            bySegment.computeIfAbsent(share.segment(), s -> new ConcurrentLinkedQueue<>()).addAll(page.records());
            return page;
        }

        @Override
        public List<LogRecord> readLog(long afterOffset, int limit) {
            List<LogRecord> records = reader.readLog(afterOffset, limit);
            records.forEach(record -> wholeLog.add(record.offset()));
            return records;
        }

        @Override
        public List<LogRecord> readStream(String streamId, long fromVersion) {
            return reader.readStream(streamId, fromVersion);
        }

        @Override
        public List<LogRecord> readStream(String streamId, long fromVersion, int maxCount) {
            return reader.readStream(streamId, fromVersion, maxCount);
        }

        @Override
        public long streamVersion(String streamId) {
            return reader.streamVersion(streamId);
        }

        @Override
        public Stream<LogRecord> streamLog(long afterOffset) {
            return reader.streamLog(afterOffset);
        }

        @Override
        public long head() {
            return reader.head();
        }

        @Override
        public Optional<List<AppendResult>> findAppend(String idempotencyKey, String requestFingerprint) {
            return reader.findAppend(idempotencyKey, requestFingerprint);
        }
    }
}
