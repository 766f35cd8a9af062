package dev.kappa.console.internal.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.console.internal.state.LogSampler;
import dev.kappa.console.internal.state.StateAssembler;
import dev.kappa.console.internal.state.Viewer;
import dev.kappa.eventstore.EventReader;
import dev.kappa.projections.ProjectionMonitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The live stream holds a bounded number of pages, and lets them go. */
class StateStreamTest {

    @Test
    void theStreamsAreBoundedAndEndedWithTheApplication() {
        EventReader log = mock(EventReader.class);
        when(log.head()).thenReturn(7L);
        ProjectionMonitor monitor = mock(ProjectionMonitor.class);
        StateAssembler assembler = new StateAssembler(monitor, log, null, null, List::of, "here",
                new LogSampler(log, Clock.systemUTC(), Duration.ofMinutes(1)), Clock.systemUTC());
        StateStream stream = new StateStream(assembler, JsonMapper.builder().build());

        List<SseEmitter> open = new ArrayList<>();
        for (int i = 0; i < StateStream.MAX_STREAMS; i++) {
            open.add(stream.open(Viewer.ANONYMOUS));
        }

        assertThat(open).doesNotContainNull();
        assertThat(stream.open(new Viewer("operator", true))).as("one stream too many").isNull();
        stream.push();
        assertThat(stream.open()).isEqualTo(StateStream.MAX_STREAMS);

        stream.closeAll();

        assertThat(stream.open()).isZero();
        assertThat(stream.open(Viewer.ANONYMOUS)).isNotNull();
    }
}
