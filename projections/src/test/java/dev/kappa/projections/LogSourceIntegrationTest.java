package dev.kappa.projections;

import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.LogShare;
import dev.kappa.projections.internal.log.PostgresLogSource;
import dev.kappa.projections.source.SourcePage;
import dev.kappa.projections.source.SourcePartition;

import static org.assertj.core.api.Assertions.assertThat;

/** The log as a record source: a segment reads its share of the log, and reads through the other segments' records. */
class LogSourceIntegrationTest extends ProjectionIntegrationTest {

    LogSourceIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void aSegmentReadsOnlyTheRecordsOfItsStreamsThroughTheWholeLog() {
        appendDeposits(100, 37);
        ExecutorService readAhead = Executors.newCachedThreadPool();
        try (SourcePartition segment = new PostgresLogSource(store, store, readAhead).partition(1, 4)) {
            SourcePage page = segment.read(0, 1_000);

            assertThat(page.records()).isNotEmpty().allSatisfy(
                    record -> assertThat(LogShare.segmentOf(record.streamId(), 4)).isEqualTo(1));
            assertThat(page.records()).extracting(LogRecord::offset).isSorted();
            assertThat(page.through()).isEqualTo(100);
            assertThat(page.reachedHead()).isTrue();
            assertThat(segment.read(100, 1_000).through()).isEqualTo(100);
        } finally {
            readAhead.shutdownNow();
        }
    }

    @Test
    void aReadOfOtherSegmentsRecordsOnlyStillMovesThePositionOn() {
        appendDeposits(10, 1);
        int mine = LogShare.segmentOf("stream-0", 2);
        ExecutorService readAhead = Executors.newCachedThreadPool();
        try (SourcePartition other = new PostgresLogSource(store, store, readAhead).partition(1 - mine, 2)) {
            SourcePage page = other.read(0, 4);

            assertThat(page.records()).isEmpty();
            assertThat(page.through()).isEqualTo(4);
            assertThat(page.reachedHead()).isFalse();
            assertThat(other.read(page.through(), 4).through()).isEqualTo(8);
            assertThat(other.head()).isEqualTo(10);
        } finally {
            readAhead.shutdownNow();
        }
    }
}
