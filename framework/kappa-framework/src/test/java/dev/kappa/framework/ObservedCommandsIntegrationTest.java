package dev.kappa.framework;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.EventStore;
import dev.kappa.framework.bank.BankAccount;
import dev.kappa.framework.bank.BankCommands.OpenAccount;
import dev.kappa.framework.bank.BankCommands.Withdraw;
import dev.kappa.framework.bank.BankEvents;
import dev.kappa.framework.bank.InsufficientFunds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Commands observed as {@code kappa.command}, their appends as its children, the trace context in the metadata. */
class ObservedCommandsIntegrationTest extends StoreIntegrationTest {

    private final Propagating handler = new Propagating();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private CommandGateway observed;

    ObservedCommandsIntegrationTest(DataSource dataSource) {
        super(dataSource);
        registry.observationConfig().observationHandler(handler);
    }

    @BeforeEach
    void openObservedStoreAndGateway() {
        EventStore observedStore = closeAfterTest(EventStore.builder(dataSource).codec(BankEvents.codec())
                .observationRegistry(registry).build());
        observed = closeAfterTest(CommandGateway.builder(observedStore).aggregates(BankAccount.class)
                .observationRegistry(registry).build());
    }

    @Test
    void aCommandIsObservedWithItsTypesAndOutcomeAndItsAppendIsItsChild() {
        observed.sendAndWait(new OpenAccount("42", "Ada"));

        Observation.Context command = handler.only("kappa.command");
        assertThat(command.getLowCardinalityKeyValue("kappa.command.type").getValue()).isEqualTo("OpenAccount");
        assertThat(command.getLowCardinalityKeyValue("kappa.aggregate.type").getValue()).isEqualTo("BankAccount");
        assertThat(command.getLowCardinalityKeyValue("kappa.outcome").getValue()).isEqualTo("success");
        Observation.Context append = handler.only("kappa.append");
        assertThat(parentOf(append)).isSameAs(command);
        assertThat(store.readStream("account-42", 1)).singleElement()
                .satisfies(record -> assertThat(record.metadata().entries())
                        .containsEntry("traceparent", handler.propagated.get(0)));
    }

    @Test
    void aRejectedCommandEndsAsAFailureWithItsError() {
        observed.sendAndWait(new OpenAccount("42", "Ada"));
        handler.started.clear();

        assertThatThrownBy(() -> observed.sendAndWait(new Withdraw("42", 1))).isInstanceOf(InsufficientFunds.class);

        Observation.Context command = handler.only("kappa.command");
        assertThat(command.getLowCardinalityKeyValue("kappa.outcome").getValue()).isEqualTo("failure");
        assertThat(command.getError()).isInstanceOf(InsufficientFunds.class);
    }

    @Test
    void aCommandSentAsynchronouslyStaysTheChildOfTheSendersObservation() throws Exception {
        Observation request = Observation.start("request", registry);
        try (Observation.Scope scope = request.openScope()) {
            observed.send(new OpenAccount("42", "Ada")).get(30, TimeUnit.SECONDS);
        } finally {
            request.stop();
        }

        assertThat(parentOf(handler.only("kappa.command"))).isSameAs(request.getContext());
    }

    @Test
    void withoutARegistryCommandsAddNothingToTheMetadata() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));

        assertThat(store.readStream("account-42", 1)).singleElement()
                .satisfies(record -> assertThat(record.metadata().entries()).isEmpty());
        assertThat(handler.started).isEmpty();
    }

    private static Object parentOf(Observation.Context context) {
        ObservationView parent = context.getParentObservation();
        return parent == null ? null : parent.getContextView();
    }

    /** What a tracing bridge does, in miniature: a sender writes a context of its own into its carrier. */
    private static final class Propagating implements ObservationHandler<Observation.Context> {

        final List<Observation.Context> started = new CopyOnWriteArrayList<>();
        final List<String> propagated = new CopyOnWriteArrayList<>();
        private final AtomicInteger ids = new AtomicInteger();

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            started.add(context);
            if (context instanceof SenderContext<?> sender) {
                String traceparent = "00-" + ids.incrementAndGet() + "-01";
                propagated.add(traceparent);
                ((SenderContext<Object>) sender).getSetter().set(sender.getCarrier(), "traceparent", traceparent);
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        Observation.Context only(String name) {
            List<Observation.Context> found = started.stream().filter(c -> c.getName().equals(name)).toList();
            assertThat(found).as("observations named %s", name).hasSize(1);
            return found.get(0);
        }
    }
}
