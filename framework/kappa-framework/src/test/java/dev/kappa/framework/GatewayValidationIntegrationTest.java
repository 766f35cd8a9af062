package dev.kappa.framework;

import java.util.List;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.StreamAppend;
import dev.kappa.framework.bank.BankAccount;
import dev.kappa.framework.bank.BankCommands.Deposit;
import dev.kappa.framework.bank.BankCommands.OpenAccount;
import dev.kappa.framework.bank.BankEvents.AccountOpened;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the gateway checks across aggregates and against the store at start-up, and at run time. */
class GatewayValidationIntegrationTest extends StoreIntegrationTest {

    GatewayValidationIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    record Open(@TargetAggregateId String id) {
    }

    record Opened(String id) {
    }

    record Surprise(String id) {
    }

    record Poke(@TargetAggregateId String id) {
    }

    /** Handles Deposit too, which BankAccount already handles. */
    @Aggregate
    static class Rival {
        @AggregateId
        String id;

        @CommandHandler
        static Opened open(Open command) {
            return new Opened(command.id());
        }

        @CommandHandler
        Opened steal(Deposit command) {
            return new Opened(id);
        }

        @EventSourcingHandler
        void on(Opened event) {
            id = event.id();
        }
    }

    /** Declares Object, so only the run-time check can catch the event it has no handler for. */
    @Aggregate
    static class Sloppy {
        @AggregateId
        String id;

        @CommandHandler
        static Opened open(Open command) {
            return new Opened(command.id());
        }

        @CommandHandler
        Object poke(Poke command) {
            return new Surprise(id);
        }

        @EventSourcingHandler
        void on(Opened event) {
            id = event.id();
        }
    }

    @Test
    void aCommandHandledByTwoAggregatesIsRejected() {
        EventStore withRival = closeAfterTest(EventStore.builder(dataSource)
                .codec(EventCodec.builder().register(dev.kappa.framework.bank.BankEvents.AccountEvent.class, Opened.class)
                        .build())
                .build());

        assertThatThrownBy(() -> CommandGateway.builder(withRival).aggregates(BankAccount.class, Rival.class).build())
                .isInstanceOf(AggregateConfigurationException.class)
                .hasMessageContaining("Deposit is handled twice, by BankAccount and Rival");
    }

    @Test
    void anEventTypeTheStoresCodecDoesNotKnowIsRejected() {
        EventStore narrow = closeAfterTest(EventStore.builder(dataSource)
                .codec(EventCodec.builder().register(AccountOpened.class).build())
                .build());

        assertThatThrownBy(() -> CommandGateway.builder(narrow).aggregates(BankAccount.class).build())
                .isInstanceOf(AggregateConfigurationException.class)
                .hasMessageContaining("event type " + dev.kappa.framework.bank.BankEvents.MoneyDeposited.class.getName()
                        + ", applied by BankAccount, is not registered with the event store's codec; register it:"
                        + " EventCodec.builder().register(MoneyDeposited.class)");
    }

    @Test
    void anEventWithoutAnEventSourcingHandlerIsRefusedAtRunTimeAndNothingIsAppended() {
        EventStore sloppyStore = closeAfterTest(EventStore.builder(dataSource)
                .codec(EventCodec.builder().register(Opened.class, Surprise.class).build())
                .build());
        CommandGateway sloppy = closeAfterTest(CommandGateway.builder(sloppyStore).aggregates(Sloppy.class).build());
        sloppy.sendAndWait(new Open("s"));

        assertThatThrownBy(() -> sloppy.sendAndWait(new Poke("s")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Sloppy.poke(Poke) returned " + Surprise.class.getName()
                        + ", which no @EventSourcingHandler of Sloppy takes; add one (it may be empty). Nothing was"
                        + " appended");
        assertThat(sloppyStore.readStream("sloppy-s", 1)).extracting(r -> r.type()).isEqualTo(List.of("Opened"));
    }

    @Test
    void anIdThatCannotNameAStreamIsRefusedAsAnInvalidAggregateIdAndNothingIsAppended() {
        String tooLong = "a".repeat(StreamAppend.MAX_STREAM_ID_LENGTH);

        assertThatThrownBy(() -> gateway.sendAndWait(new OpenAccount(tooLong, "Ada")))
                .isInstanceOfSatisfying(InvalidAggregateIdException.class, invalid -> {
                    assertThat(invalid.aggregateType()).isEqualTo(BankAccount.class);
                    assertThat(invalid.aggregateId()).isEqualTo(tooLong);
                })
                .hasMessageContaining("BankAccount id 'aaaa")
                .hasMessageContaining("has 200 characters: it must have at most 192");
        assertThatThrownBy(() -> gateway.sendAndWait(new Deposit("ta\r\nrget", 5)))
                .isInstanceOf(InvalidAggregateIdException.class)
                .hasMessage("BankAccount id 'ta??rget' has a control character at index 2: it must have none");
        assertThatThrownBy(() -> gateway.sendAndWait(new Deposit(null, 5)))
                .isInstanceOf(InvalidAggregateIdException.class)
                .hasMessage("BankAccount id null is missing: the @TargetAggregateId accountId of Deposit is null;"
                        + " say which aggregate the command is for");
        assertThat(store.head()).isZero();
    }

    @Test
    void aGatewayWithoutAggregatesIsRefused() {
        assertThatThrownBy(() -> CommandGateway.builder(store).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs at least one aggregate");
    }
}
