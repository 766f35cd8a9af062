package dev.kappa.projections;

import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.note;
import static dev.kappa.projections.TestEvents.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building, registering, starting and closing a runtime. */
class RuntimeLifecycleIntegrationTest extends ProjectionIntegrationTest {

    RuntimeLifecycleIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void aStartedRuntimeKeepsAProjectionUpToDateAndItsCloseHandsTheSegmentsBack() throws Exception {
        append("a", opened("Ada"), deposited(5), note("x"));
        append("b", opened("Bob"));
        ProjectionRuntime runtime = started(new CountingProjection(dataSource));

        awaitHead(runtime, "event-counts");
        append("a", deposited(7));
        awaitHead(runtime, "event-counts");

        assertThat(sql.map("SELECT stream_id, events FROM event_counts"))
                .isEqualTo(new TreeMap<>(Map.of("a", 4L, "b", 1L)));
        assertThat(runtime.status("event-counts").state()).isEqualTo(ProjectionState.RUNNING);

        runtime.close();
        runtime.close();
        assertThat(sql.queryLongs("SELECT count(*) FROM kappa_projection_segments WHERE owner IS NOT NULL"))
                .containsExactly(0L);
        assertThat(sql.queryLong("SELECT count(*) FROM kappa_projection_members")).isZero();
        assertThatThrownBy(runtime::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("the runtime is already closed");
    }

    @Test
    void registrationMistakesAreRefusedWithTheirReason() {
        ProjectionRuntime runtime = runtime(builder -> {
        }, new CountingProjection(dataSource));

        assertThatThrownBy(() -> runtime.register(new CountingProjection(dataSource)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("projection 'event-counts' version 0 is already registered");
        assertThatThrownBy(() -> runtime.register(new BlueGreenIntegrationTest.CountingV2(dataSource)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only versions of a blue-green projection")
                .hasMessageContaining("may share a name");
        assertThatThrownBy(() -> runtime.reset("event-counts"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start it before resetting");

        runtime.start();

        assertThatThrownBy(() -> runtime.register(new BalanceProjection(dataSource)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("register every projection before start()");
        assertThatThrownBy(() -> runtime.rebuild("event-counts"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declares no tables")
                .hasMessageContaining("reset it (in place) instead");
    }

    @Test
    void aRebuildRefusedForAProjectionThatCannotBeResetEitherDoesNotAdviseAReset() {
        ProjectionRuntime runtime = started(new Unresettable());

        assertThatThrownBy(() -> runtime.rebuild("unresettable"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("projection 'unresettable' declares no tables, so it cannot be rebuilt beside itself:"
                        + " nor can it be reset in place, having no @ResetHandler to clear its read model; declare its"
                        + " tables for blue-green rebuilds, or give it a @ResetHandler");
        assertThatThrownBy(() -> runtime.reset("unresettable"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be reset");
    }

    /** A reactor, say: no tables, nothing to clear. */
    @Projection("unresettable")
    static final class Unresettable {
        @EventHandler
        void on(Object event, EventContext context) {
        }
    }

    @Test
    void aTransactionManagerOfAnotherDataSourceIsRefused() {
        DataSource other = secondPool();

        assertThatThrownBy(() -> ProjectionRuntime.builder(dataSource, store)
                .transactionManager(new JdbcTransactionManager(other)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("manages another data source");
    }
}
