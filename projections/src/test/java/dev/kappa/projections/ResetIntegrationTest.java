package dev.kappa.projections;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.note;
import static dev.kappa.projections.TestEvents.opened;
import static dev.kappa.projections.TestEvents.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Resets in place: the read model is brought back to an offset and the log replayed from there. */
class ResetIntegrationTest extends ProjectionIntegrationTest {

    ResetIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void resetToZeroRebuildsAnIdenticalTable() throws Exception {
        // given a bank's balances and event counts, caught up
        appendBank(50, 20);
        CountingProjection counting = new CountingProjection(dataSource);
        ProjectionRuntime runtime = started(new BalanceProjection(dataSource), counting);
        awaitHead(runtime, "balances");
        awaitHead(runtime, "event-counts");
        List<Map<String, Object>> balances = sql.rows("SELECT * FROM account_balance ORDER BY account_id");
        List<Map<String, Object>> counts = sql.rows("SELECT * FROM event_counts ORDER BY stream_id");
        long handled = counting.handled.get();

        // when both are reset to zero
        runtime.reset("balances");
        runtime.reset("event-counts");

        // then the replay rebuilds the very same tables, applying every event once more
        awaitHead(runtime, "balances");
        awaitHead(runtime, "event-counts");
        assertThat(sql.rows("SELECT * FROM account_balance ORDER BY account_id")).isEqualTo(balances);
        assertThat(sql.rows("SELECT * FROM event_counts ORDER BY stream_id")).isEqualTo(counts);
        assertThat(counting.handled.get()).isEqualTo(2 * handled);
        assertThat(balances).hasSize(50);
    }

    @Test
    void anOffsetAwareResetKeepsTheRowsUpToTheOffsetAndReplaysOnlyTheTail() throws Exception {
        // given a projection whose rows record their event's offset, and whose reset handler declares toOffset
        appendDeposits(100, 7);
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);
        ProjectionRuntime runtime = started(recording);
        awaitHead(runtime, "recording");
        List<Map<String, Object>> before = sql.rows(
                "SELECT event_offset, stream_id, stream_version FROM recorded ORDER BY event_offset");
        List<Map<String, Object>> kept = sql.rows("SELECT * FROM recorded WHERE event_offset <= 60 ORDER BY 1");

        // when it is reset to offset 60
        runtime.reset("recording", 60);

        // then the rows up to 60 stay as they were, and only offsets 61 to 100 are applied again
        awaitHead(runtime, "recording");
        assertThat(recording.handled.get()).as("100 events, then offsets 61 to 100 again").isEqualTo(140);
        assertThat(sql.rows("SELECT * FROM recorded WHERE event_offset <= 60 ORDER BY 1")).isEqualTo(kept);
        assertThat(sql.rows("SELECT event_offset, stream_id, stream_version FROM recorded ORDER BY event_offset"))
                .isEqualTo(before);
        assertThat(sql.queryLong("SELECT min(event_offset) FROM recorded WHERE applied > 100")).isEqualTo(61);
        assertThat(runtime.status("recording").checkpoint()).isEqualTo(100);
    }

    @Test
    void aResetToAnOffsetIsRefusedWhenTheResetHandlerClearsTheWholeReadModel() throws Exception {
        // given a projection whose reset handler clears everything (a count cannot go back to an earlier offset)
        appendBank(5, 3);
        CountingProjection counting = new CountingProjection(dataSource);
        ProjectionRuntime runtime = started(counting);
        long head = awaitHead(runtime, "event-counts");
        Map<String, Long> counts = sql.map("SELECT stream_id, events FROM event_counts");

        // when it is asked to reset to an offset above 0, then it refuses and says what to do instead
        assertThatThrownBy(() -> runtime.reset("event-counts", 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("projection 'event-counts' cannot be reset to offset 3: its @ResetHandler"
                        + " clears the whole read model, so a replay from offset 3 would leave out every event up to"
                        + " it.")
                .hasMessageContaining("Reset it to 0, or rebuild it blue-green (declare its tables for that), or"
                        + " declare an offset-aware reset handler: @ResetHandler(toOffset = true)");

        // and the read model, the checkpoint and the worker are untouched
        assertThat(sql.map("SELECT stream_id, events FROM event_counts")).isEqualTo(counts);
        assertThat(runtime.status("event-counts").checkpoint()).isEqualTo(head);
        append("acc-0", note("still running"));
        awaitHead(runtime, "event-counts");
        assertThat(sql.queryLong("SELECT events FROM event_counts WHERE stream_id = 'acc-0'"))
                .isEqualTo(counts.get("acc-0") + 1);
    }

    @Test
    void aResetToAnOffsetIsRefusedForAProjectionWhoseTablesCanOnlyBeTruncated() throws Exception {
        appendBank(3, 2);
        ProjectionRuntime runtime = started(new BalanceProjection(dataSource));
        awaitHead(runtime, "balances");

        assertThatThrownBy(() -> runtime.reset("balances", 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("projection 'balances' cannot be reset to offset 2")
                .hasMessageContaining("@ResetHandler(toOffset = true)");
        assertThat(sql.queryLong("SELECT count(*) FROM account_balance")).isEqualTo(3);
    }

    @Test
    void aResetWhoseHandlerFailsLeavesTheReadModelAndTheCheckpointAsTheyWere() throws Exception {
        appendBank(5, 3);
        CountingProjection counting = new CountingProjection(dataSource);
        ProjectionRuntime runtime = started(counting);
        long head = awaitHead(runtime, "event-counts");
        Map<String, Long> counts = sql.map("SELECT stream_id, events FROM event_counts");

        // when its reset handler fails after it deleted the counts
        counting.resetFails = true;
        assertThatThrownBy(() -> runtime.reset("event-counts"))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining("event-counts")
                .hasMessageContaining("@ResetHandler");

        // then the deletion rolled back with the checkpoints, and the worker carries on
        assertThat(sql.map("SELECT stream_id, events FROM event_counts")).isEqualTo(counts);
        assertThat(runtime.status("event-counts").checkpoint()).isEqualTo(head);
        append("acc-0", note("still running"));
        awaitHead(runtime, "event-counts");
        assertThat(sql.queryLong("SELECT events FROM event_counts WHERE stream_id = 'acc-0'"))
                .isEqualTo(counts.get("acc-0") + 1);
    }

    @Test
    void aResetToAnOffsetBeyondTheHeadIsRefused() throws Exception {
        appendBank(2, 2);
        ProjectionRuntime runtime = started(new CountingProjection(dataSource));

        assertThatThrownBy(() -> runtime.reset("event-counts", 99))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot reset projection 'event-counts' to offset 99: the log's head is 6");
        assertThatThrownBy(() -> runtime.reset("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no projection named 'nope' is registered");
    }

    @Test
    void aResetMovesEverySegmentAndCanChangeTheSegmentCount() throws Exception {
        appendDeposits(200, 13);
        ProjectionRuntime first = started(new RecordingProjection.Segmented(dataSource));
        awaitHead(first, "segmented");
        first.close();

        // when the same projection now declares four segments and is reset
        ProjectionRuntime second = started(new FourSegments(dataSource));
        second.reset("segmented", 120);

        // then the tail is replayed by four segments, each event once
        awaitHead(second, "segmented");
        assertThat(second.status("segmented").segments()).as("segments; in the database: %s",
                        sql.rows("SELECT * FROM kappa_projection_segments")).hasSize(4)
                .allSatisfy(segment -> assertThat(segment.checkpoint()).isEqualTo(200));
        assertThat(sql.queryLong("SELECT count(*) FROM segmented_recorded")).isEqualTo(200);
        assertThat(sql.queryLongs("SELECT DISTINCT segment FROM segmented_recorded WHERE event_offset > 120"
                + " ORDER BY segment")).containsExactly(0L, 1L, 2L, 3L);
    }

    @Projection(value = "segmented", segments = 4)
    static final class FourSegments extends RecordingProjection {
        FourSegments(DataSource dataSource) {
            super(dataSource, "segmented_recorded");
        }
    }

    /** Opens {@code accounts} accounts, then appends {@code rounds} rounds of deposits and withdrawals. */
    private void appendBank(int accounts, int rounds) {
        for (int a = 0; a < accounts; a++) {
            append("acc-" + a, opened("owner " + a));
        }
        for (int r = 1; r <= rounds; r++) {
            for (int a = 0; a < accounts; a++) {
                append("acc-" + a, r % 3 == 0 ? withdrawn(a % 7) : deposited(a + r));
            }
        }
    }
}
