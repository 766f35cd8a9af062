package dev.kappa.projections;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.projections.TestEvents.Poison;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.poison;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An operator moves a stopped projection past its poison event, which is kept as a dead letter with the event, the
 * error and the decision, and applies it later once the handler is fixed: nothing is lost, nothing applied twice.
 */
class SkipAndReplayIntegrationTest extends ProjectionIntegrationTest {

    /** The offsets of {@link #appendPoisonBetweenTenAndTen()}'s events, but for the poison's. */
    private static final List<Long> ALL_BUT_THE_POISON =
            LongStream.rangeClosed(1, 21).filter(offset -> offset != 11).boxed().toList();

    SkipAndReplayIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void skippingTheEventAStoppedProjectionFailedOnParksItWithTheDecisionAndTheProjectionMovesOn() throws Exception {
        // given a projection stopped at a poison event at offset 11, between ten events and ten more
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);
        ProjectionRuntime runtime = stoppedAtThePoison(recording);

        // when an operator skips it
        runtime.skip("recording", 11, "ada", "ticket 42: the poison is a test event");

        // then the projection applies everything after it, and only it is left out
        awaitHead(runtime, "recording");
        assertThat(sql.queryLongs("SELECT event_offset FROM recorded ORDER BY event_offset"))
                .containsExactlyElementsOf(ALL_BUT_THE_POISON);
        ProjectionStatus status = runtime.status("recording");
        assertThat(status.state()).isEqualTo(ProjectionState.RUNNING);
        assertThat(status.checkpoint()).isEqualTo(21);
        assertThat(status.segments().get(0).failure()).isEmpty();
        assertThat(sql.rows("SELECT failed_offset, skip_decided_by, skip_note, skip_decided_at"
                + " FROM kappa_projection_segments WHERE projection = 'recording'"))
                .singleElement().satisfies(row -> assertThat(row.values()).containsOnlyNulls());
        // and the event is kept as a dead letter, with its payload, metadata, error and the decision
        List<DeadLetter> letters = runtime.deadLetters("recording");
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0);
        assertThat(letter.offset()).isEqualTo(11);
        assertThat(letter.segment()).isZero();
        assertThat(letter.streamId()).isEqualTo("pill");
        assertThat(letter.streamVersion()).isEqualTo(1);
        assertThat(letter.eventType()).isEqualTo("Poison");
        assertThat(letter.payload()).contains("\"text\"").contains("bad input");
        assertThat(letter.metadata().eventId()).isEqualTo(store.readStream("pill", 1).get(0).metadata().eventId());
        assertThat(letter.errorType()).isEqualTo(IllegalStateException.class.getName());
        assertThat(letter.message()).isEqualTo("poisoned: bad input");
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.state()).isEqualTo(DeadLetter.State.SKIPPED);
        assertThat(letter.decision().by()).isEqualTo("ada");
        assertThat(letter.decision().note()).isEqualTo("ticket 42: the poison is a test event");
        assertThat(letter.decision().at()).isAfterOrEqualTo(letter.failedAt());
        assertThat(letter.replay()).isEmpty();
    }

    @Test
    void aSkipIsRefusedUnlessTheProjectionIsStoppedAtThatOffset() throws Exception {
        appendPoisonBetweenTenAndTen();
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);
        RecordingProjection parking = new RecordingProjection.Parking(dataSource);
        parking.poisoned = false;
        ProjectionRuntime runtime = started(recording, parking);
        awaitHead(runtime, "parking");
        awaitState(runtime, "recording", ProjectionState.FAILED);

        assertThatThrownBy(() -> runtime.skip("parking", 11, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("projection 'parking' is not stopped at a failing event (it is RUNNING), so there is"
                        + " nothing to skip: only the event a FAILED projection stopped at can be skipped");
        assertThatThrownBy(() -> runtime.skip("recording", 12, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("projection 'recording' is not stopped at offset 12: it is stopped at offset 11"
                        + " (segment 0 of generation 1, event 'Poison': java.lang.IllegalStateException: poisoned: bad"
                        + " input)");

        assertThat(runtime.status("recording").state()).isEqualTo(ProjectionState.FAILED);
        assertThat(runtime.status("recording").checkpoint()).isEqualTo(10);
        assertThat(runtime.deadLetters("recording")).isEmpty();
        assertThat(runtime.deadLetters("parking")).isEmpty();
    }

    @Test
    void aDeadLetterIsAppliedExactlyOnceWhenReplayedAfterTheHandlerIsFixed() throws Exception {
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);
        ProjectionRuntime runtime = stoppedAtThePoison(recording);
        skipThePoison(runtime, "ada", null);
        int handledBefore = recording.handled.get();

        // when the handler is fixed and the letter replayed
        recording.poisoned = false;
        List<DeadLetter> replayed = runtime.replay("recording", 11, "bob");

        // then the event is applied once, the checkpoint stays where it was, and the letter says who replayed it
        assertThat(recording.handled.get() - handledBefore).isEqualTo(1);
        assertThat(sql.queryLong("SELECT count(*) FROM recorded WHERE event_offset = 11")).isEqualTo(1);
        assertThat(sql.queryLong("SELECT count(*) FROM recorded")).isEqualTo(21);
        assertThat(runtime.status("recording").checkpoint()).isEqualTo(21);
        assertThat(replayed).singleElement().satisfies(letter -> {
            assertThat(letter.state()).isEqualTo(DeadLetter.State.REPLAYED);
            assertThat(letter.replay().orElseThrow().by()).isEqualTo("bob");
            assertThat(letter.decision().by()).isEqualTo("ada");
            assertThat(letter.attempts()).isEqualTo(4);
        });
        // and a second replay is refused
        assertThatThrownBy(() -> runtime.replay("recording", 11, "bob")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at offset 11 was already replayed, by bob");
        assertThat(sql.queryLong("SELECT count(*) FROM recorded WHERE event_offset = 11")).isEqualTo(1);
        assertThatThrownBy(() -> runtime.replay("recording", 5, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no dead letter at offset 5");
    }

    @Test
    void aReplayThatFailsAgainKeepsTheLetterWithTheNewError() throws Exception {
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);
        ProjectionRuntime runtime = stoppedAtThePoison(recording);
        skipThePoison(runtime, null, null);

        recording.complaint = "still broken";
        List<DeadLetter> replayed = runtime.replay("recording", 11, null);

        assertThat(replayed).singleElement().satisfies(letter -> {
            assertThat(letter.state()).isEqualTo(DeadLetter.State.SKIPPED);
            assertThat(letter.message()).isEqualTo("still broken");
            assertThat(letter.attempts()).isEqualTo(4);
            assertThat(letter.decision().by()).isEqualTo("operator");
            assertThat(letter.replay()).isEmpty();
        });
        assertThat(sql.queryLong("SELECT count(*) FROM recorded WHERE event_offset = 11")).isZero();
        assertThat(runtime.status("recording").state()).isEqualTo(ProjectionState.RUNNING);
    }

    @Test
    void aLetterWhoseSegmentWasResetBelowItIsLeftToTheWorker() throws Exception {
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);
        ProjectionRuntime runtime = stoppedAtThePoison(recording);
        skipThePoison(runtime, null, null);

        runtime.reset("recording", 5);
        awaitState(runtime, "recording", ProjectionState.FAILED);

        assertThatThrownBy(() -> runtime.replay("recording", 11, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the segment is back at checkpoint 10 (it was reset), so its worker applies the"
                        + " event when it gets there");
        assertThat(sql.queryLong("SELECT count(*) FROM recorded WHERE event_offset = 11")).isZero();
    }

    @Test
    void anotherInstanceCanSkipTheEventTheInstanceHoldingTheSegmentStoppedAt() throws Exception {
        appendPoisonBetweenTenAndTen();
        RecordingProjection held = new RecordingProjection.Stopping(dataSource);
        ProjectionRuntime holder = runtime(builder -> builder.instanceId("holder"), held);
        holder.start();
        awaitState(holder, "recording", ProjectionState.FAILED);
        ProjectionRuntime other = runtime(builder -> builder.instanceId("other"),
                new RecordingProjection.Stopping(dataSource));
        other.start();

        other.skip("recording", 11, "ada", "from the other instance");

        awaitHead(holder, "recording");
        assertThat(sql.queryLong("SELECT count(*) FROM recorded")).isEqualTo(20);
        assertThat(other.deadLetters("recording")).singleElement()
                .satisfies(letter -> assertThat(letter.state()).isEqualTo(DeadLetter.State.SKIPPED));
        assertThat(held.poisonAttempts.get()).isEqualTo(3);
    }

    @Test
    void anEventSkippedAgainAfterAResetReplacesItsDeadLetter() throws Exception {
        RecordingProjection recording = new RecordingProjection.Stopping(dataSource);
        ProjectionRuntime runtime = stoppedAtThePoison(recording);
        skipThePoison(runtime, "ada", "first time");

        runtime.reset("recording", 0);
        awaitState(runtime, "recording", ProjectionState.FAILED);
        runtime.skip("recording", 11, "bob", "second time");

        awaitHead(runtime, "recording");
        assertThat(runtime.deadLetters("recording")).singleElement().satisfies(letter -> {
            assertThat(letter.decision().by()).isEqualTo("bob");
            assertThat(letter.decision().note()).isEqualTo("second time");
        });
        assertThat(sql.queryLong("SELECT count(*) FROM recorded")).isEqualTo(20);
    }

    @Test
    void aDeadLetterProjectionWithoutRetriesAppliesTheEventsBeforeThePoisonBeforeParkingIt() throws Exception {
        appendPoisonBetweenTenAndTen();

        ProjectionRuntime runtime = runtime(builder -> builder.retryPolicy(RetryPolicy.none()),
                new RecordingProjection.Parking(dataSource));
        runtime.start();

        awaitHead(runtime, "parking");
        assertThat(sql.queryLongs("SELECT event_offset FROM parked_recorded ORDER BY event_offset"))
                .containsExactlyElementsOf(ALL_BUT_THE_POISON);
        assertThat(runtime.deadLetters("parking")).singleElement().satisfies(letter -> {
            assertThat(letter.offset()).isEqualTo(11);
            assertThat(letter.state()).isEqualTo(DeadLetter.State.PARKED);
            assertThat(letter.decision().by()).isEqualTo(DeadLetter.Decision.FAILURE_MODE);
            assertThat(letter.attempts()).isEqualTo(1);
        });
    }

    @Test
    void anInMemoryProjectionCanSkipTooButNotReplay() throws Exception {
        appendPoisonBetweenTenAndTen();
        MemoryRecording memory = new MemoryRecording();
        ProjectionRuntime runtime = started(memory);
        awaitState(runtime, "memory-recording", ProjectionState.FAILED);

        runtime.skip("memory-recording", 11, null, "not in memory");

        awaitHead(runtime, "memory-recording");
        assertThat(memory.applied).containsExactlyElementsOf(ALL_BUT_THE_POISON);
        assertThat(runtime.deadLetters("memory-recording")).singleElement()
                .satisfies(letter -> assertThat(letter.state()).isEqualTo(DeadLetter.State.SKIPPED));
        assertThatThrownBy(() -> runtime.replay("memory-recording", 11, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is in memory");
    }

    /** Records the offsets it applies, in memory, and throws on a poison event. */
    @Projection(value = "memory-recording", inMemory = true)
    static final class MemoryRecording {
        final List<Long> applied = new CopyOnWriteArrayList<>();

        @EventHandler
        void on(Object event, EventContext context) {
            if (event instanceof Poison poison) {
                throw new IllegalStateException("poisoned: " + poison.text());
            }
            applied.add(context.offset());
        }
    }

    /** Ten events in stream "before", a poison pill at offset 11 in stream "pill", ten events in stream "after". */
    private void appendPoisonBetweenTenAndTen() {
        for (int i = 1; i <= 10; i++) {
            append("before", deposited(i));
        }
        append("pill", poison("bad input"));
        for (int i = 1; i <= 10; i++) {
            append("after", deposited(i));
        }
    }

    /** Appends the poison between ten and ten, and starts {@code recording}, which stops at it. */
    private ProjectionRuntime stoppedAtThePoison(RecordingProjection recording) {
        appendPoisonBetweenTenAndTen();
        ProjectionRuntime runtime = started(recording);
        awaitState(runtime, "recording", ProjectionState.FAILED);
        return runtime;
    }

    /** Skips the poison at offset 11 that {@code recording} stopped at, and waits until it has applied the rest. */
    private void skipThePoison(ProjectionRuntime runtime, String by, String note) throws InterruptedException {
        runtime.skip("recording", 11, by, note);
        awaitHead(runtime, "recording");
    }

    private ProjectionStatus awaitState(ProjectionRuntime runtime, String projection, ProjectionState state) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> runtime.status(projection).state() == state);
        return runtime.status(projection);
    }
}
