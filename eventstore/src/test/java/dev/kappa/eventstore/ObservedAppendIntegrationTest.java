package dev.kappa.eventstore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObservedAppendIntegrationTest extends LogIntegrationTest {

    private final Propagating handler = new Propagating();
    private final ObservationRegistry registry = ObservationRegistry.create();

    ObservedAppendIntegrationTest(DataSource dataSource) {
        super(dataSource);
        registry.observationConfig().observationHandler(handler);
    }

    @Override
    void configure(EventStoreBuilder builder) {
        builder.observationRegistry(registry);
    }

    @Test
    void anAppendWritesTheContextItPropagatesIntoEveryEventsMetadata() {
        store.append(AppendRequest.of(List.of(
                StreamAppend.of("a", ExpectedVersion.noStream(), deposit("a", 1), deposit("a", 2)),
                StreamAppend.of("b", ExpectedVersion.noStream(), deposit("b", 1)))));

        Observed append = handler.only("kappa.append");
        assertThat(store.readLog(0, 10)).hasSize(3).allSatisfy(record -> assertThat(record.metadata().entries())
                .containsExactly(Map.entry("traceparent", append.propagated())));
        assertThat(append.tag("kappa.outcome")).isEqualTo("success");
        assertThat(append.tag("kappa.streams")).isEqualTo("several");
    }

    @Test
    void theGroupCommitRunsOnTheWriterThreadAsTheChildOfTheAppend() {
        store.append("a", ExpectedVersion.noStream(), List.of(deposit("a", 1)));

        Observed append = handler.only("kappa.append");
        Observed commit = handler.only("kappa.group-commit");
        assertThat(commit.parent()).isSameAs(append.context());
        assertThat(commit.thread()).isEqualTo("kappa-log-writer");
        assertThat(commit.context().getHighCardinalityKeyValue("kappa.events").getValue()).isEqualTo("1");
    }

    @Test
    void anAppendMadeInsideAnObservationIsItsChild() {
        Observation request = Observation.start("request", registry);
        try (Observation.Scope scope = request.openScope()) {
            store.append("a", ExpectedVersion.noStream(), List.of(deposit("a", 1)));
        } finally {
            request.stop();
        }

        assertThat(handler.only("kappa.append").parent()).isSameAs(request.getContext());
    }

    @Test
    void theAppendsContextReplacesOneTheEventBroughtAlong() {
        store.append("a", ExpectedVersion.noStream(), List.of(deposit("a", 1).withMetadata("traceparent", "stale")
                .withMetadata("user", "ada")));

        assertThat(store.readLog(0, 10).get(0).metadata().entries()).containsOnly(
                Map.entry("traceparent", handler.only("kappa.append").propagated()), Map.entry("user", "ada"));
    }

    @Test
    void aConflictEndsTheAppendsObservationAsAConflict() {
        store.append("a", ExpectedVersion.noStream(), List.of(deposit("a", 1)));
        handler.observed.clear();

        assertThatThrownBy(() -> store.append("a", ExpectedVersion.noStream(), List.of(deposit("a", 2))))
                .isInstanceOf(ConcurrencyException.class);

        Observed append = handler.only("kappa.append");
        assertThat(append.tag("kappa.outcome")).isEqualTo("conflict");
        assertThat(append.context().getError()).isInstanceOf(ConcurrencyException.class);
    }

    @Test
    void asynchronousAndExclusiveAppendsCarryTheContextToo() throws Exception {
        store.appendAsync(AppendRequest.to("a", ExpectedVersion.noStream(), List.of(deposit("a", 1)))).get();
        store.appendExclusively(ExclusiveAppend.to("b", version -> List.of(deposit("b", 1))));

        List<Observed> appends = handler.named("kappa.append");
        assertThat(appends).hasSize(2);
        assertThat(store.readLog(0, 10)).extracting(record -> record.metadata().entries().get("traceparent"))
                .containsExactly(appends.get(0).propagated(), appends.get(1).propagated());
    }

    @Test
    void withoutARegistryOrWithoutHandlersNothingIsAddedToTheMetadata() {
        EventStore plain = openStore(builder -> { });
        EventStore handlerless = openStore(builder -> builder.observationRegistry(ObservationRegistry.create()));

        plain.append("a", ExpectedVersion.noStream(), List.of(deposit("a", 1)));
        handlerless.append("b", ExpectedVersion.noStream(), List.of(deposit("b", 1)));

        assertThat(store.readLog(0, 10)).hasSize(2)
                .allSatisfy(record -> assertThat(record.metadata().entries()).isEmpty());
        assertThat(handler.observed).isEmpty();
    }

    /** What a tracing bridge does, in miniature: a sender writes a context of its own into its carrier. */
    private static final class Propagating implements ObservationHandler<Observation.Context> {

        final List<Observed> observed = new CopyOnWriteArrayList<>();
        private final AtomicInteger ids = new AtomicInteger();

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            String propagated = null;
            if (context instanceof SenderContext<?> sender) {
                propagated = "00-" + ids.incrementAndGet() + "-01";
                ((SenderContext<Object>) sender).getSetter().set(sender.getCarrier(), "traceparent", propagated);
            }
            ObservationView parent = context.getParentObservation();
            observed.add(new Observed(context, parent == null ? null : parent.getContextView(), propagated,
                    Thread.currentThread().getName()));
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        List<Observed> named(String name) {
            return observed.stream().filter(o -> o.context().getName().equals(name)).toList();
        }

        Observed only(String name) {
            List<Observed> found = named(name);
            assertThat(found).as("observations named %s", name).hasSize(1);
            return found.get(0);
        }
    }

    private record Observed(Observation.Context context, Object parent, String propagated, String thread) {

        String tag(String key) {
            KeyValue value = context.getLowCardinalityKeyValue(key);
            return value == null ? null : value.getValue();
        }
    }
}
