package dev.kappa.projections;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.note;
import static dev.kappa.projections.TestEvents.opened;
import static org.assertj.core.api.Assertions.assertThat;

class SmokeIntegrationTest extends ProjectionIntegrationTest {

    SmokeIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void aProjectionCountsTheEventsOfEachStream() throws Exception {
        append("a", opened("Ada"), deposited(5), note("x"));
        append("b", opened("Bob"));
        CountingProjection counting = new CountingProjection(dataSource);
        ProjectionRuntime runtime = started(counting);

        awaitHead(runtime, "event-counts");
        append("a", deposited(7));
        awaitHead(runtime, "event-counts");

        assertThat(sql.map("SELECT stream_id, events FROM event_counts")).containsExactlyEntriesOf(
                new java.util.TreeMap<>(java.util.Map.of("a", 4L, "b", 1L)));
        assertThat(runtime.status("event-counts").state()).isEqualTo(ProjectionState.RUNNING);
    }
}
