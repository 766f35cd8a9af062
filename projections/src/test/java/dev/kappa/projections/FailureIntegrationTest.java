package dev.kappa.projections;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.LogShare;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.note;
import static dev.kappa.projections.TestEvents.poison;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A handler that keeps failing stops its segment at the event, visibly, or parks the event; nothing is skipped
 * silently, and no other projection or segment waits for it.
 */
class FailureIntegrationTest extends ProjectionIntegrationTest {

    FailureIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void aPoisonEventStopsTheProjectionAtItsOffsetWithTheErrorWhileOtherProjectionsKeepRunning() throws Exception {
        // given ten events, a poison pill at offset 11, and ten more
        appendPoisonBetweenTenAndTen("bad input");
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);

        // when the runtime runs a projection that chokes on it beside one that does not
        ProjectionRuntime runtime = started(recording, new CountingProjection(dataSource));

        // then it stops at offset 11, having applied the ten before it, with the error visible
        ProjectionStatus status = awaitState(runtime, "recording", ProjectionState.FAILED);
        assertThat(status.checkpoint()).isEqualTo(10);
        ProjectionFailure failure = status.segments().get(0).failure().orElseThrow();
        assertThat(failure.offset()).isEqualTo(11);
        assertThat(failure.eventType()).isEqualTo("Poison");
        assertThat(failure.errorType()).isEqualTo(IllegalStateException.class.getName());
        assertThat(failure.message()).isEqualTo("poisoned: bad input");
        assertThat(failure.attempts()).isEqualTo(3);
        assertThat(recording.poisonAttempts.get()).isEqualTo(3);
        assertThat(sql.queryLongs("SELECT event_offset FROM recorded ORDER BY event_offset"))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
        // the worker reports the failure before it has written it to the segment's row
        await().atMost(PATIENCE).until(() -> sql.queryLong(
                "SELECT failed_offset FROM kappa_projection_segments WHERE projection = 'recording'") == 11);
        // and the other projection went past it, and keeps following the log
        append("later", note("more"));
        awaitHead(runtime, "event-counts");
        assertThat(sql.queryLong("SELECT sum(events) FROM event_counts")).isEqualTo(22);
        assertThat(runtime.status("recording").state()).isEqualTo(ProjectionState.FAILED);
        assertThat(runtime.awaitCheckpoint("recording", 11, Duration.ofSeconds(30)).reached()).isFalse();
    }

    @Test
    void aFailedProjectionResumesWhenRestartedOnceTheCauseIsFixed() throws Exception {
        appendPoisonBetweenTenAndTen("bad input");
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);
        ProjectionRuntime runtime = started(recording);
        awaitState(runtime, "recording", ProjectionState.FAILED);

        recording.poisoned = false;
        runtime.restart("recording");

        awaitHead(runtime, "recording");
        assertThat(sql.queryLongs("SELECT event_offset FROM recorded ORDER BY event_offset"))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 21).boxed().toList());
        assertThat(runtime.status("recording").state()).isEqualTo(ProjectionState.RUNNING);
        assertThat(runtime.status("recording").segments().get(0).failure()).isEmpty();
    }

    @Test
    void aFailedProjectionResumesWhenResetAndReplaysFromTheResetOffset() throws Exception {
        appendTen("before");
        append("pill", poison("bad input"));
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);
        ProjectionRuntime runtime = started(recording);
        awaitState(runtime, "recording", ProjectionState.FAILED);
        recording.poisoned = false;
        int handledBefore = recording.handled.get();

        runtime.reset("recording", 5);

        awaitHead(runtime, "recording");
        assertThat(recording.handled.get() - handledBefore).as("events 6 to 11 applied again").isEqualTo(6);
        assertThat(sql.queryLong("SELECT count(*) FROM recorded")).isEqualTo(11);
    }

    @Test
    void aHandlerThatFailsTwiceAndThenSucceedsIsRetriedWithBackOffAndAppliedOnce() throws Exception {
        appendPoisonBetweenTenAndTen("flaky");
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);
        recording.failuresBeforeSuccess = 2;

        ProjectionRuntime runtime = started(recording);

        awaitHead(runtime, "recording");
        assertThat(recording.poisonAttempts.get()).isEqualTo(3);
        assertThat(sql.queryLong("SELECT count(*) FROM recorded")).isEqualTo(21);
        assertThat(runtime.status("recording").state()).isEqualTo(ProjectionState.RUNNING);
    }

    @Test
    void deadLetterModeParksThePoisonEventWithItsErrorAndMovesOn() throws Exception {
        appendPoisonBetweenTenAndTen("bad input");

        ProjectionRuntime runtime = started(new RecordingProjection.Parking(dataSource));

        awaitHead(runtime, "parking");
        assertThat(sql.queryLongs("SELECT event_offset FROM parked_recorded ORDER BY event_offset"))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 21).filter(o -> o != 11).boxed().toList());
        List<DeadLetter> letters = runtime.deadLetters("parking");
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0);
        assertThat(letter.offset()).isEqualTo(11);
        assertThat(letter.streamId()).isEqualTo("pill");
        assertThat(letter.eventType()).isEqualTo("Poison");
        assertThat(letter.errorType()).isEqualTo(IllegalStateException.class.getName());
        assertThat(letter.message()).isEqualTo("poisoned: bad input");
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(runtime.status("parking").state()).isEqualTo(ProjectionState.RUNNING);
    }

    @Test
    void theNewestDeadLettersAreListedInTheOrderTheyWereDecided() throws Exception {
        // given three poison events parked, one after the other
        appendTen("before");
        append("pill", poison("first"));
        append("pill", poison("second"));
        append("pill", poison("third"));
        appendTen("after");
        ProjectionRuntime runtime = started(new RecordingProjection.Parking(dataSource));
        await().atMost(PATIENCE).until(() -> runtime.deadLetters("parking").size() == 3);

        // then the newest two are the last two parked, in the order they were decided; all three without a bound
        assertThat(runtime.deadLetters("parking", 2)).extracting(DeadLetter::offset).containsExactly(12L, 13L);
        assertThat(runtime.deadLetters("parking")).extracting(DeadLetter::offset).containsExactly(11L, 12L, 13L);
        assertThatThrownBy(() -> runtime.deadLetters("parking", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("newest");
    }

    @Test
    void aFailedSegmentStopsAloneWhileTheOtherSegmentsOfTheProjectionGoOn() throws Exception {
        // given a poison pill in a stream of segment 0 of two
        String doomed = streamOfSegment(0, 2);
        String healthy = streamOfSegment(1, 2);
        append(doomed, deposited(1), poison("bad input"), deposited(2));
        append(healthy, deposited(1), deposited(2));

        ProjectionRuntime runtime = started(new RecordingProjection.Segmented(dataSource));

        ProjectionStatus status = awaitState(runtime, "segmented", ProjectionState.FAILED);
        SegmentStatus failed = status.segments().get(0);
        assertThat(failed.state()).isEqualTo(ProjectionState.FAILED);
        assertThat(failed.failure().orElseThrow().offset()).isEqualTo(2);
        await().atMost(PATIENCE).until(() -> runtime.status("segmented").segments().get(1).checkpoint() == 5);
        append(healthy, deposited(3));
        await().atMost(PATIENCE).until(() -> sql.queryLong(
                "SELECT count(*) FROM segmented_recorded WHERE stream_id = ?", healthy) == 3);
        assertThat(sql.queryLong("SELECT count(*) FROM segmented_recorded WHERE stream_id = ?", doomed)).isEqualTo(1);
    }

    @Test
    void aStagedWriteThatFailsIsPinnedToTheEventWhoseRowBrokeTheTable() throws Exception {
        // given balances that may not go below zero, and a withdrawal in the middle of a batch that breaks the rule
        jdbc.execute("CREATE TABLE account_balance (account_id text PRIMARY KEY, balance bigint NOT NULL"
                + " CHECK (balance >= 0), version bigint NOT NULL)");
        append("acc-1", TestEvents.opened("Ada"), deposited(10));
        append("acc-2", TestEvents.opened("Bob"));
        append("acc-1", TestEvents.withdrawn(50));
        append("acc-2", deposited(5));

        ProjectionRuntime runtime = started(new BalanceProjection(dataSource));

        // then the whole batch fails at the flush, and applying it event by event pins the failure on offset 4
        ProjectionStatus status = awaitState(runtime, "balances", ProjectionState.FAILED);
        assertThat(status.segments().get(0).failure().orElseThrow().offset()).isEqualTo(4);
        assertThat(status.checkpoint()).isEqualTo(3);
        assertThat(sql.map("SELECT account_id, balance FROM account_balance"))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("acc-1", 10L, "acc-2", 0L));
    }

    /** Ten events in stream "before", a poison pill at offset 11 in stream "pill", ten events in stream "after". */
    @Test
    void aStagedWriteThatFailsInALargeBatchIsNarrowedDownToItsEvent() throws Exception {
        // given 300 events in one batch, the 237th of which breaks a constraint of the table
        jdbc.execute("CREATE TABLE account_balance (account_id text PRIMARY KEY, balance bigint NOT NULL"
                + " CHECK (balance >= 0), version bigint NOT NULL)");
        for (int i = 1; i <= 300; i++) {
            append("acc-" + i % 17, i == 237 ? TestEvents.withdrawn(1_000_000) : deposited(i));
        }

        ProjectionRuntime runtime = started(new BalanceProjection(dataSource));

        // then batches of a tenth of the size, then of a hundredth, then of one, name the event
        ProjectionStatus status = awaitState(runtime, "balances", ProjectionState.FAILED);
        assertThat(status.segments().get(0).failure().orElseThrow().offset()).isEqualTo(237);
        assertThat(status.checkpoint()).isEqualTo(236);
        assertThat(sql.queryLong("SELECT sum(balance) FROM account_balance")).isEqualTo(236 * 237 / 2);
    }

    private void appendPoisonBetweenTenAndTen(String poisonText) {
        appendTen("before");
        append("pill", poison(poisonText));
        appendTen("after");
    }

    private void appendTen(String stream) {
        for (int i = 1; i <= 10; i++) {
            append(stream, deposited(i));
        }
    }

    private ProjectionStatus awaitState(ProjectionRuntime runtime, String projection, ProjectionState state) {
        await().atMost(PATIENCE).until(() -> runtime.status(projection).state() == state);
        return runtime.status(projection);
    }

    static String streamOfSegment(int segment, int segments) {
        for (int i = 0; ; i++) {
            if (LogShare.segmentOf("stream-" + i, segments) == segment) {
                return "stream-" + i;
            }
        }
    }
}
