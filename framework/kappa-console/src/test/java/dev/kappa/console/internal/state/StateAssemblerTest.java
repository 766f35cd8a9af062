package dev.kappa.console.internal.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kappa.boot.autoconfigure.actuate.KafkaStatus;
import dev.kappa.console.internal.state.ConsoleState.ProgressView;
import dev.kappa.console.internal.state.ConsoleState.ProjectionView;
import dev.kappa.eventstore.CompactionResult;
import dev.kappa.eventstore.CompactionRun;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogCompactor;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.FleetInstance;
import dev.kappa.projections.GenerationStatus;
import dev.kappa.projections.Progress;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionState;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.SegmentStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** How the console turns the monitor's status and its own samples into rates, progress and time left. */
class StateAssemblerTest {

    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

    private final MovingClock clock = new MovingClock();
    private final StubMonitor monitor = new StubMonitor();
    private final EventReader log = mock(EventReader.class);
    private StateAssembler assembler;

    @BeforeEach
    void assembler() {
        LogSampler sampler = new LogSampler(log, clock, Duration.ofMinutes(5));
        assembler = new StateAssembler(monitor, log, null, null, List::of, "here", sampler, clock);
    }

    @Test
    void aRebuildShowsItsProgressFromTheStartOfTheLogWithTheRuntimesRateAndTimeLeft() {
        when(log.head()).thenReturn(1_000L);
        monitor.statuses.add(status("p", generation(1, ProjectionState.RUNNING, 1_000, 1_000, 0),
                Optional.of(generation(2, ProjectionState.REBUILDING, 250, 1_000, 500))));

        ProgressView progress = only(assembler.assemble()).progress();

        assertThat(progress.kind()).isEqualTo("rebuild");
        assertThat(progress.generation()).isEqualTo(2);
        assertThat(progress.offset()).isEqualTo(250);
        assertThat(progress.head()).isEqualTo(1_000);
        assertThat(progress.percent()).isEqualTo(25.0);
        assertThat(progress.eventsPerSecond()).isEqualTo(500.0);
        assertThat(progress.etaSeconds()).isEqualTo(1.5);
    }

    @Test
    void aResetTheConsoleMadeIsMeasuredFromTheOffsetItWentTo() {
        when(log.head()).thenReturn(1_000L);
        assembler.resetStarted("p", 600);
        monitor.statuses.add(status("p", generation(1, ProjectionState.REBUILDING, 800, 1_000, 100), Optional.empty()));

        ProgressView progress = only(assembler.assemble()).progress();

        assertThat(progress.kind()).isEqualTo("reset");
        assertThat(progress.percent()).isEqualTo(50.0);
        assertThat(progress.etaSeconds()).isEqualTo(2.0);
    }

    @Test
    void aResetSeenToEndIsForgottenAndAnotherIsMeasuredFromZero() {
        when(log.head()).thenReturn(1_000L);
        assembler.resetStarted("p", 600);
        monitor.statuses.add(status("p", generation(1, ProjectionState.RUNNING, 1_000, 1_000, 0), Optional.empty()));
        assertThat(only(assembler.assemble()).progress()).isNull();

        monitor.statuses.set(0, status("p", generation(1, ProjectionState.REBUILDING, 800, 1_000, 100),
                Optional.empty()));

        assertThat(only(assembler.assemble()).progress().percent()).isEqualTo(80.0);
    }

    @Test
    void whereTheRuntimeKnowsNoRateTheSamplesGiveItAndTheTimeLeft() {
        when(log.head()).thenReturn(1_000L);
        monitor.statuses.add(status("p", generation(1, ProjectionState.CATCHING_UP, 100, 1_000, 0),
                Optional.empty()));
        assembler.assemble();
        clock.advance(Duration.ofSeconds(2));
        monitor.statuses.set(0, status("p", generation(1, ProjectionState.CATCHING_UP, 300, 1_000, 0),
                Optional.empty()));

        ProjectionView projection = only(assembler.assemble());

        assertThat(projection.eventsPerSecond()).isEqualTo(100.0);
        assertThat(projection.lag()).isEqualTo(700);
        assertThat(projection.etaSeconds()).isEqualTo(7.0);
        assertThat(projection.progress()).isNull();
    }

    @Test
    void theAppendRateComesFromTheHeadsSampled() {
        when(log.head()).thenReturn(0L, 500L);
        LogSampler sampler = new LogSampler(log, clock, Duration.ofMinutes(5));
        sampler.sample();
        clock.advance(Duration.ofSeconds(5));
        sampler.sample();

        assertThat(sampler.appendRate()).isEqualTo(100.0);
        assertThat(sampler.series()).extracting(RateSamples.Point::value).containsExactly(0L, 500L);
        assertThat(sampler.series().get(1).rate()).isEqualTo(100.0);
    }

    @Test
    void aProjectionThatDoesNotMoveHasNoTimeLeftAndOneAtTheHeadHasNone() {
        when(log.head()).thenReturn(1_000L);
        monitor.statuses.add(status("stuck", generation(1, ProjectionState.FAILED, 10, 1_000, 0), Optional.empty()));
        monitor.statuses.add(status("done", generation(1, ProjectionState.RUNNING, 1_000, 1_000, 0),
                Optional.empty()));

        List<ProjectionView> projections = assembler.assemble().projections();

        assertThat(projections.get(0).etaSeconds()).isNull();
        assertThat(projections.get(1).etaSeconds()).isEqualTo(0.0);
        assertThat(assembler.assemble().fleet()).singleElement().satisfies(instance -> {
            assertThat(instance.instanceId()).isEqualTo("here");
            assertThat(instance.self()).isTrue();
            assertThat(instance.segments()).isEqualTo(2);
        });
    }

    @Test
    void compactionsLastRunAndTheRelayAreShownAsTheyReportThemselves() {
        when(log.head()).thenReturn(1_000L);
        LogCompactor compactor = mock(LogCompactor.class);
        when(compactor.lastRun()).thenReturn(Optional.of(new CompactionRun(START, Duration.ofMillis(42),
                new CompactionResult(7, 2, 3, 900, false), "there")));
        KafkaStatus kafka = mock(KafkaStatus.class);
        when(kafka.relay()).thenReturn(new KafkaStatus.Relay("RELAYING", 990, 1_000, 10, 250.0, START, null));
        StateAssembler withBoth = new StateAssembler(monitor, log, compactor, kafka, List::of, "here",
                new LogSampler(log, clock, Duration.ofMinutes(5)), clock);

        ConsoleState state = withBoth.assemble();

        assertThat(state.log().compaction()).isEqualTo(new ConsoleState.CompactionView(START.toString(), 42, 7, 2, 3,
                900, "there"));
        assertThat(state.relay()).isEqualTo(new ConsoleState.RelayView("RELAYING", 990, 1_000, 10, 250.0, null));
        assertThat(assembler.assemble().relay()).as("without Kafka").isNull();
        assertThat(assembler.assemble().log().compaction()).as("without a compactor").isNull();
    }

    private static ProjectionView only(ConsoleState state) {
        assertThat(state.projections()).hasSize(1);
        return state.projections().get(0);
    }

    private static ProjectionStatus status(String name, GenerationStatus current, Optional<GenerationStatus> rebuild) {
        ProjectionState state = rebuild.isPresent() ? ProjectionState.REBUILDING : current.state();
        return new ProjectionStatus(name, false, state, Optional.of(current), rebuild,
                current.state() == ProjectionState.RUNNING, "");
    }

    private static GenerationStatus generation(int number, ProjectionState state, long checkpoint, long head,
                                               double rate) {
        Optional<Duration> left = checkpoint >= head ? Optional.of(Duration.ZERO)
                : rate > 0 ? Optional.of(Duration.ofMillis((long) ((head - checkpoint) * 1000 / rate)))
                : Optional.empty();
        Progress progress = new Progress(checkpoint, head, rate, left);
        return new GenerationStatus(number, 1, state, progress, List.of(new SegmentStatus(0, state, checkpoint, head,
                "here", progress, Optional.empty())));
    }

    private static final class StubMonitor implements ProjectionMonitor {

        final List<ProjectionStatus> statuses = new ArrayList<>();

        @Override
        public List<ProjectionStatus> status() {
            return List.copyOf(statuses);
        }

        @Override
        public ProjectionStatus status(String projection) {
            return statuses.stream().filter(status -> status.name().equals(projection)).findFirst().orElseThrow();
        }

        @Override
        public boolean isCaughtUp() {
            return false;
        }

        @Override
        public boolean isCaughtUp(String projection) {
            return false;
        }

        @Override
        public boolean awaitCaughtUp(Duration timeout) {
            return false;
        }

        @Override
        public List<DeadLetter> deadLetters(String projection) {
            return List.of();
        }

        @Override
        public List<DeadLetter> deadLetters(String projection, int newest) {
            return List.of();
        }

        @Override
        public List<FleetInstance> fleet() {
            return List.of();
        }
    }

    private static final class MovingClock extends Clock {

        private Instant now = START;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
