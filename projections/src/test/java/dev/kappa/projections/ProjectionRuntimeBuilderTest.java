package dev.kappa.projections;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.kappa.eventstore.EventStore;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The builder's checks of its settings, made as they are set: no database is asked. */
class ProjectionRuntimeBuilderTest {

    /** A data source that connects to nothing: the builder only holds it. */
    private final DriverManagerDataSource nowhere = new DriverManagerDataSource("jdbc:postgresql://nowhere.invalid/kappa");

    @Test
    void aCatchUpBatchMayStageOneRowOrMore() throws Exception {
        try (EventStore store = EventStore.builder(nowhere).codec(TestEvents.codec()).build()) {
            ProjectionRuntimeBuilder builder = ProjectionRuntime.builder(nowhere, store);

            assertThatThrownBy(() -> builder.catchUpStagedRows(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("catch-up staged rows must be at least 1 but was 0");
            assertThatThrownBy(() -> builder.catchUpStagedRows(-5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("catch-up staged rows must be at least 1 but was -5");
            assertThatNoException().isThrownBy(() -> builder.catchUpStagedRows(1));
        }
    }
}
