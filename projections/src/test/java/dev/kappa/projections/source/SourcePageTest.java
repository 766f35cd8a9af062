package dev.kappa.projections.source;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourcePageTest {

    @Test
    void aLogPagesPositionsAreItsRecordsOffsets() {
        SourcePage page = SourcePage.of(List.of(record(3), record(8)), 10, true, 10);

        assertThat(page.position(0)).isEqualTo(3);
        assertThat(page.position(1)).isEqualTo(8);
        assertThat(page.through()).isEqualTo(10);
    }

    @Test
    void aPartitionWithPositionsOfItsOwnGivesOnePerRecord() {
        SourcePage page = SourcePage.of(List.of(record(500), record(501)), new long[] {41, 42}, 42, false, 99);

        assertThat(page.position(1)).isEqualTo(42);
        assertThat(page.firstRecords(1, 41).position(0)).isEqualTo(41);
        assertThatThrownBy(() -> SourcePage.of(List.of(record(1)), new long[] {1, 2}, 2, false, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one position per record");
    }

    @Test
    void aPageMustReadThroughItsLastRecord() {
        assertThatThrownBy(() -> SourcePage.of(List.of(record(5)), 4, true, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its last record is at 5");
    }

    @Test
    void anEmptyPageEndsWhereTheReadBeganAtTheHead() {
        SourcePage page = SourcePage.empty(7, 7);

        assertThat(page.records()).isEmpty();
        assertThat(page.through()).isEqualTo(7);
        assertThat(page.reachedHead()).isTrue();
    }

    @Test
    void aCutPageEndsBelowTheRecordsItLeftOut() {
        SourcePage page = SourcePage.of(List.of(record(3), record(8)), 8, true, 8);

        assertThat(page.firstRecords(1, 7).reachedHead()).isFalse();
        assertThatThrownBy(() -> page.firstRecords(1, 8)).isInstanceOf(IllegalArgumentException.class);
    }

    private static LogRecord record(long offset) {
        return new LogRecord(offset, "s", 1, "T", "{}",
                new EventMetadata(UUID.randomUUID(), null, null, Instant.EPOCH, null), null, false);
    }
}
