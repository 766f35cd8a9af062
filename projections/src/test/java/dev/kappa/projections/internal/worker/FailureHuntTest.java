package dev.kappa.projections.internal.worker;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.projections.source.SourcePage;

import static org.assertj.core.api.Assertions.assertThat;

/** Cutting a batch's first page while a failing record is isolated. */
class FailureHuntTest {

    @Test
    void aPageIsLeftWholeWhileNothingIsIsolated() {
        SourcePage page = page(100, 5, 6, 7);

        assertThat(new FailureHunt().cut(page, 4)).isSameAs(page);
    }

    @Test
    void theRecordsBeforeTheIsolatedOneGoFirstUpToJustBeforeIt() {
        FailureHunt hunt = new FailureHunt();
        hunt.isolate(7);

        SourcePage cut = hunt.cut(page(100, 5, 6, 7, 8), 4);

        assertThat(cut.records()).extracting(LogRecord::offset).containsExactly(5L, 6L);
        assertThat(cut.through()).isEqualTo(6);
        assertThat(cut.reachedHead()).isFalse();
    }

    @Test
    void otherPartitionsRecordsBeforeTheIsolatedOneAreCommittedFirstWithoutIt() {
        FailureHunt hunt = new FailureHunt();
        hunt.isolate(9);

        // offsets 5 to 8 belong to other segments: the read passed over them
        SourcePage cut = hunt.cut(page(100, 9, 12), 4);

        assertThat(cut.records()).isEmpty();
        assertThat(cut.through()).isEqualTo(8);
    }

    @Test
    void theIsolatedRecordRightAfterTheCheckpointGoesAlone() {
        FailureHunt hunt = new FailureHunt();
        hunt.isolate(5);

        SourcePage cut = hunt.cut(page(100, 5, 6, 7), 4);

        assertThat(cut.records()).extracting(LogRecord::offset).containsExactly(5L);
        assertThat(cut.through()).isEqualTo(5);
    }

    @Test
    void anIsolatedRecordThatWasCompactedAwayIsForgotten() {
        FailureHunt hunt = new FailureHunt();
        hunt.isolate(5);
        SourcePage page = page(100, 6, 7);

        assertThat(hunt.cut(page, 4)).isSameAs(page);
        assertThat(hunt.wholeBatches(4)).isTrue();
    }

    @Test
    void aBatchThatFailedAsAWholeIsRetriedInBatchesOfATenthUntilPastItsEnd() {
        FailureHunt hunt = new FailureHunt();

        int narrowed = hunt.narrow(250, 300);

        assertThat(narrowed).isEqualTo(25);
        assertThat(hunt.narrowing(50)).isTrue();
        assertThat(hunt.wholeBatches(50)).isFalse();
        assertThat(hunt.narrowing(300)).isFalse();
        assertThat(hunt.narrow(5, 300)).isEqualTo(1);
    }

    static SourcePage page(long head, long... offsets) {
        List<LogRecord> records = Arrays.stream(offsets).mapToObj(offset -> new LogRecord(offset, "s", offset, "T",
                "{}", new EventMetadata(UUID.randomUUID(), null, null, Instant.EPOCH, null), null, false)).toList();
        return SourcePage.of(records, offsets[offsets.length - 1], false, head);
    }
}
