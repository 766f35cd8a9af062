package dev.kappa.projections;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import org.junit.jupiter.api.Test;

import static dev.kappa.projections.TestEvents.deposited;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One observation per projection batch, continuing the trace context its first traced record carries. */
class ObservedBatchIntegrationTest extends ProjectionIntegrationTest {

    private final Receiving handler = new Receiving();
    private final ObservationRegistry registry = ObservationRegistry.create();

    ObservedBatchIntegrationTest(DataSource dataSource) {
        super(dataSource);
        registry.observationConfig().observationHandler(handler);
    }

    @Test
    void aBatchIsOneObservationThatContinuesTheFirstTracedRecordsContext() throws Exception {
        append("a", deposited(1));
        append("a", deposited(2).withMetadata("traceparent", "00-first-01"));
        append("b", deposited(3).withMetadata("traceparent", "00-second-01"));
        Watching projection = new Watching(registry);

        ProjectionRuntime runtime = runtime(builder -> builder.observationRegistry(registry), projection);
        runtime.start();
        awaitHead(runtime, "watching");
        // the checkpoint is visible a moment before the batch's observation stops
        await().atMost(PATIENCE).until(() -> handler.stopped.size() == 1);

        assertThat(handler.batches).singleElement().satisfies(batch -> {
            assertThat(batch.getName()).isEqualTo("kappa.projection.batch");
            assertThat(batch.getLowCardinalityKeyValue("kappa.projection").getValue()).isEqualTo("watching");
            assertThat(batch.getLowCardinalityKeyValue("kappa.segment").getValue()).isEqualTo("0");
            assertThat(batch.getLowCardinalityKeyValue("kappa.outcome").getValue()).isEqualTo("applied");
        });
        assertThat(handler.continued).containsExactly("00-first-01");
        // the handlers run inside the batch's observation: what they observe is its child
        assertThat(projection.current).hasSize(3).containsOnly(handler.batches.get(0));
    }

    @Test
    void aBatchWithoutTracedRecordsStartsNoTraceOfItsOwnButIsObserved() throws Exception {
        append("a", deposited(1));

        ProjectionRuntime runtime = runtime(builder -> builder.observationRegistry(registry), new Watching(registry));
        runtime.start();
        awaitHead(runtime, "watching");

        assertThat(handler.batches).hasSize(1);
        assertThat(handler.continued).containsExactly((String) null);
    }

    @Test
    void withoutARegistryNothingIsObserved() throws Exception {
        append("a", deposited(1).withMetadata("traceparent", "00-first-01"));
        Watching projection = new Watching(registry);

        ProjectionRuntime runtime = runtime(builder -> { }, projection);
        runtime.start();
        awaitHead(runtime, "watching");

        assertThat(projection.current).isEmpty();
        assertThat(handler.batches).isEmpty();
    }

    @Projection("watching")
    static final class Watching {

        final List<Observation.Context> current = new CopyOnWriteArrayList<>();
        private final ObservationRegistry registry;

        Watching(ObservationRegistry registry) {
            this.registry = registry;
        }

        @EventHandler
        void on(TestEvents.MoneyDeposited deposited) {
            Observation observation = registry.getCurrentObservation();
            if (observation != null) {
                current.add((Observation.Context) observation.getContextView());
            }
        }
    }

    /** What a tracing bridge does, in miniature: a receiver reads the context its carrier holds. */
    private static final class Receiving implements ObservationHandler<Observation.Context> {

        final List<Observation.Context> batches = new CopyOnWriteArrayList<>();
        final List<String> continued = new CopyOnWriteArrayList<>();
        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            batches.add(context);
            if (context instanceof ReceiverContext<?> receiver) {
                Map<String, String> carrier = (Map<String, String>) receiver.getCarrier();
                continued.add(((ReceiverContext<Map<String, String>>) receiver).getGetter().get(carrier,
                        "traceparent"));
            }
        }

        @Override
        public void onStop(Observation.Context context) {
            stopped.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }
}
