package dev.kappa.projections;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.projections.internal.log.SegmentHash;

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
            assertThat(row.get("segment")).isEqualTo(SegmentHash.segmentOf(stream, 4));
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
}
