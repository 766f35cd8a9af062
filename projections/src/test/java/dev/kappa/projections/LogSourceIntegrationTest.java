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

/**
 * The log as a record source: a segment reads its share of the log, and moves on over stretches of the log that hold
 * none of its records.
 */
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
        appendDeposits(1_000, 1);
        int mine = LogShare.segmentOf("stream-0", 2);
        ExecutorService readAhead = Executors.newCachedThreadPool();
        try (SourcePartition other = new PostgresLogSource(store, store, readAhead).partition(1 - mine, 2)) {
            SourcePage page = other.read(0, 4);

            // one read scans a bounded stretch of the log, holding none of this segment's records
            assertThat(page.records()).isEmpty();
            assertThat(page.through()).isPositive().isLessThan(1_000);
            assertThat(page.reachedHead()).isFalse();
            int reads = 1;
            while (!page.reachedHead()) {
                SourcePage next = other.read(page.through(), 4);
                assertThat(next.records()).isEmpty();
                assertThat(next.through()).isGreaterThan(page.through());
                page = next;
                reads++;
            }
            assertThat(page.through()).isEqualTo(1_000);
            assertThat(reads).as("reads to pass over the log").isGreaterThan(1);
            assertThat(other.head()).isEqualTo(1_000);
        } finally {
            readAhead.shutdownNow();
        }
    }
}
