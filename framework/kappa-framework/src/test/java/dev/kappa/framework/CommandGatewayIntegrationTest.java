package dev.kappa.framework;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.framework.bank.BankCommands.Close;
import dev.kappa.framework.bank.BankCommands.Deposit;
import dev.kappa.framework.bank.BankCommands.OpenAccount;
import dev.kappa.framework.bank.BankCommands.Withdraw;
import dev.kappa.framework.bank.BankCommands.WithdrawAllAndClose;
import dev.kappa.framework.bank.BankEvents.AccountClosed;
import dev.kappa.framework.bank.BankEvents.AccountOpened;
import dev.kappa.framework.bank.BankEvents.MoneyDeposited;
import dev.kappa.framework.bank.BankEvents.MoneyWithdrawn;
import dev.kappa.framework.bank.InsufficientFunds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandGatewayIntegrationTest extends StoreIntegrationTest {

    CommandGatewayIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void aCreatingCommandAppendsTheEventsItsHandlerReturns() {
        CommandResult result = gateway.sendAndWait(new OpenAccount("42", "Ada"));

        assertThat(result).isEqualTo(new CommandResult("42", "account-42", 1, 1, 1, 1, false));
        assertThat(decodedStream("account-42")).containsExactly(new AccountOpened("42", "Ada"));
    }

    @Test
    void aCommandOnAnExistingAggregateDecidesFromItsStateAndAppendsWithTheLoadedVersion() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        gateway.sendAndWait(new Deposit("42", 100));

        CommandResult result = gateway.sendAndWait(new Withdraw("42", 30));

        assertThat(result).isEqualTo(new CommandResult("42", "account-42", 3, 3, 3, 1, false));
        assertThat(decodedStream("account-42")).containsExactly(new AccountOpened("42", "Ada"),
                new MoneyDeposited("42", 100), new MoneyWithdrawn("42", 30));
    }

    @Test
    void aMultiEventDecisionIsAppendedInOneGo() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        gateway.sendAndWait(new Deposit("42", 70));

        CommandResult result = gateway.sendAndWait(new WithdrawAllAndClose("42"));

        assertThat(result).isEqualTo(new CommandResult("42", "account-42", 4, 3, 4, 2, false));
        assertThat(decodedStream("account-42")).endsWith(new MoneyWithdrawn("42", 70), new AccountClosed("42"));
    }

    @Test
    void aBrokenBusinessRuleReachesTheCallerUnchangedAndAppendsNothing() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        gateway.sendAndWait(new Deposit("42", 10));

        assertThatThrownBy(() -> gateway.sendAndWait(new Withdraw("42", 11)))
                .isExactlyInstanceOf(InsufficientFunds.class)
                .hasMessage("account 42 holds 10, less than 11");
        assertThat(store.streamVersion("account-42")).isEqualTo(2);
        // the failed attempt left no trace in the cached state either
        assertThat(gateway.sendAndWait(new Withdraw("42", 10)).version()).isEqualTo(3);
    }

    @Test
    void aHandlerThatDecidesNothingAppendsNothing() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        gateway.sendAndWait(new Close("42"));

        CommandResult again = gateway.sendAndWait(new Close("42"));

        assertThat(again).isEqualTo(new CommandResult("42", "account-42", 2, 0, 0, 0, false));
        assertThat(store.head()).isEqualTo(2);
    }

    @Test
    void aCommandForAnAggregateThatDoesNotExistFailsWithNotFound() {
        assertThatThrownBy(() -> gateway.sendAndWait(new Deposit("nobody", 5)))
                .isInstanceOfSatisfying(AggregateNotFoundException.class, e -> {
                    assertThat(e.aggregateId()).isEqualTo("nobody");
                    assertThat(e.aggregateType()).isEqualTo(dev.kappa.framework.bank.BankAccount.class);
                })
                .hasMessage("BankAccount 'nobody' does not exist, so it cannot handle Deposit; create it first");
    }

    @Test
    void creatingAnAggregateThatExistsFailsWithAlreadyExistsAndAppendsNothing() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));

        assertThatThrownBy(() -> gateway.sendAndWait(new OpenAccount("42", "Bob")))
                .isInstanceOfSatisfying(AggregateAlreadyExistsException.class,
                        e -> assertThat(e.aggregateId()).isEqualTo("42"))
                .hasMessageContaining("BankAccount '42' already exists: OpenAccount creates a new one");
        assertThat(store.streamVersion("account-42")).isEqualTo(1);
    }

    @Test
    void aCommandNobodyHandlesIsRejected() {
        record Unknown(String id) {
        }

        assertThatThrownBy(() -> gateway.sendAndWait(new Unknown("x")))
                .isInstanceOf(NoHandlerForCommandException.class)
                .hasMessageContaining("no @CommandHandler handles");
    }

    @Test
    void correlationCausationAndUserMetadataFlowFromTheCommandToItsEvents() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        CommandMessage<Deposit> message = CommandMessage.of(new Deposit("42", 5))
                .withCorrelationId("checkout-7")
                .withMetadata("user", "ada");

        gateway.sendAndWait(message);

        EventMetadata metadata = store.readStream("account-42", 2).get(0).metadata();
        assertThat(metadata.correlationId()).isEqualTo("checkout-7");
        assertThat(metadata.causationId()).isEqualTo(message.commandId().toString());
        assertThat(metadata.entries()).containsEntry("user", "ada");
        // a command without a correlation id starts a conversation named after itself
        EventMetadata opened = store.readStream("account-42", 1).get(0).metadata();
        assertThat(opened.correlationId()).isEqualTo(opened.causationId());
    }

    @Test
    void aCommandSentInReactionToAnEventContinuesItsConversation() {
        gateway.sendAndWait(CommandMessage.of(new OpenAccount("42", "Ada")).withCorrelationId("onboarding-1"));
        EventMetadata opened = store.readStream("account-42", 1).get(0).metadata();

        gateway.sendAndWait(CommandMessage.causedBy(new Deposit("42", 25), opened));

        EventMetadata deposited = store.readStream("account-42", 2).get(0).metadata();
        assertThat(deposited.correlationId()).isEqualTo("onboarding-1");
        assertThat(deposited.causationId()).isNotEqualTo(opened.eventId().toString());
        assertThat(store.readStream("account-42", 2).get(0).metadata().causationId())
                .as("the event's causation is the command, whose causation is the earlier event")
                .isNotNull();
    }

    @Test
    void sendRunsTheCommandAsynchronously() throws Exception {
        CompletableFuture<CommandResult> opened = gateway.send(new OpenAccount("42", "Ada"));
        assertThat(opened.get().version()).isEqualTo(1);

        CompletableFuture<CommandResult> failing = gateway.send(new Withdraw("42", 1));

        assertThat(failing).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingCause().isInstanceOf(InsufficientFunds.class);
    }

    @Test
    void aHotAggregateIsServedFromTheCacheAndAnotherProcessesWriteIsNoticed() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        long missesBefore = gateway.statistics().cacheMisses();

        gateway.sendAndWait(new Deposit("42", 1));
        gateway.sendAndWait(new Deposit("42", 1));

        assertThat(gateway.statistics().cacheMisses()).isEqualTo(missesBefore);
        assertThat(gateway.statistics().cacheHits()).isGreaterThanOrEqualTo(2);

        // another process appends behind the cache's back: the stale cached version conflicts, is evicted and reloaded
        CommandGateway otherProcess = openGateway(builder -> { });
        otherProcess.sendAndWait(new Deposit("42", 100));
        gateway.sendAndWait(new Withdraw("42", 102));

        assertThat(gateway.statistics().conflictRetries()).isEqualTo(1);
        assertThat(store.streamVersion("account-42")).isEqualTo(5);
    }

    @Test
    void theObserverHearsEveryCommandWithItsOutcome() {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        CommandGateway observed = openGateway(builder -> builder.observer((type, nanos, failure) ->
                heard.add(type.getSimpleName() + (failure == null ? "" : " " + failure.getClass().getSimpleName()))));

        observed.sendAndWait(new OpenAccount("42", "Ada"));
        assertThatThrownBy(() -> observed.sendAndWait(new Withdraw("42", 1))).isInstanceOf(InsufficientFunds.class);

        assertThat(heard).containsExactly("OpenAccount", "Withdraw InsufficientFunds");
    }

    @Test
    void withSnapshotsOffNoSnapshotIsWritten() {
        CommandGateway withoutSnapshots = openGateway(builder -> builder.snapshots(false));
        withoutSnapshots.sendAndWait(new OpenAccount("42", "Ada"));
        for (int i = 0; i < 25; i++) {
            withoutSnapshots.sendAndWait(new Deposit("42", 1));
        }

        // closing waits for the snapshot writer, so nothing can still be on its way
        withoutSnapshots.close();

        assertThat(withoutSnapshots.statistics().snapshotsSaved()).isZero();
        assertThat(queryLong("SELECT count(*) FROM kappa_snapshots")).isZero();
    }

    private List<Object> decodedStream(String streamId) {
        return store.readStream(streamId, 1).stream().map((LogRecord r) -> store.codec().decode(r)).toList();
    }
}
