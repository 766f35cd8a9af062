package dev.kappa.projections;

import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static dev.kappa.projections.TestEvents.deposited;
import static org.assertj.core.api.Assertions.assertThat;

/** Status: what each projection and segment is doing, how far it is, who holds it. */
class StatusIntegrationTest extends ProjectionIntegrationTest {

    StatusIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void statusFollowsAProjectionFromCatchingUpToRunningToStopped() throws Exception {
        for (int i = 1; i <= 100; i++) {
            append("s", deposited(i));
        }
        Gate gate = new Gate();
        gate.close();
        HeldAt held = new HeldAt(dataSource, gate, 40);
        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(10).instanceId("here"), held,
                new CountingProjection(dataSource));
        assertThat(runtime.status("held").state()).as("before start").isEqualTo(ProjectionState.STOPPED);
        try {
            runtime.start();
            gate.awaitWaiting();

            ProjectionStatus catchingUp = runtime.status("held");
            assertThat(catchingUp.state()).isEqualTo(ProjectionState.CATCHING_UP);
            assertThat(catchingUp.caughtUp()).isFalse();
            SegmentStatus segment = catchingUp.segments().get(0);
            assertThat(segment.state()).isEqualTo(ProjectionState.CATCHING_UP);
            assertThat(segment.owner()).isEqualTo("here");
            assertThat(segment.checkpoint()).isEqualTo(30);
            assertThat(segment.head()).isEqualTo(100);
            assertThat(segment.lag()).isEqualTo(70);
            assertThat(catchingUp.lag()).isEqualTo(70);
            assertThat(segment.failure()).isEmpty();
        } finally {
            gate.open();
        }
        awaitHead(runtime, "held");

        ProjectionStatus running = runtime.status("held");
        assertThat(running.state()).isEqualTo(ProjectionState.RUNNING);
        assertThat(running.caughtUp()).isTrue();
        assertThat(running.checkpoint()).isEqualTo(100);
        assertThat(running.lag()).isZero();
        assertThat(running.current().orElseThrow().progress().timeLeft()).contains(Duration.ZERO);
        assertThat(runtime.status()).extracting(ProjectionStatus::name).containsExactly("event-counts", "held");

        runtime.close();
        ProjectionStatus stopped = runtime.status("held");
        assertThat(stopped.state()).isEqualTo(ProjectionState.STOPPED);
        assertThat(stopped.segments().get(0).owner()).isNull();
        assertThat(stopped.checkpoint()).isEqualTo(100);
    }

    @Test
    void aProjectionReplayingAfterAResetIsRebuilding() throws Exception {
        for (int i = 1; i <= 50; i++) {
            append("s", deposited(i));
        }
        Gate gate = new Gate();
        HeldAt held = new HeldAt(dataSource, gate, 25);
        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(10), held);
        runtime.start();
        awaitHead(runtime, "held");

        gate.close();
        try {
            runtime.reset("held");
            gate.awaitWaiting();

            assertThat(runtime.status("held").state()).isEqualTo(ProjectionState.REBUILDING);
            assertThat(runtime.isCaughtUp("held")).isFalse();
        } finally {
            gate.open();
        }
        awaitHead(runtime, "held");
        assertThat(runtime.status("held").state()).isEqualTo(ProjectionState.RUNNING);
        assertThat(runtime.status("held").rebuild()).isEqualTo(Optional.empty());
    }

    /** Records events, holding its worker at one offset. */
    @Projection("held")
    static final class HeldAt extends RecordingProjection {
        private final Gate gate;
        private final long holdAt;

        HeldAt(DataSource dataSource, Gate gate, long holdAt) {
            super(dataSource, "held_at");
            this.gate = gate;
            this.holdAt = holdAt;
        }

        @Override
        @EventHandler
        void on(Object event, EventContext context) {
            super.on(event, context);
            if (context.offset() == holdAt) {
                gate.pass();
            }
        }

        @Override
        @ResetHandler(toOffset = true)
        void reset(ResetContext context) {
            super.reset(context);
        }
    }
}
