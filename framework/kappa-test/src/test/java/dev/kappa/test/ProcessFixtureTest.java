package dev.kappa.test;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.NewEvent;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.CommandResult;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.test.Account.AccountClosed;
import dev.kappa.test.Account.AccountOpened;
import dev.kappa.test.Account.Deposit;
import dev.kappa.test.Account.TransferSent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessFixtureTest {

    @Test
    void aProcessSendsTheNextCommandCausedByTheEventUnderItsIdempotencyKey() {
        UUID eventId = UUID.randomUUID();
        try (ProcessFixture<Payouts> fixture = ProcessFixture.of(Payouts::new)) {
            SentCommands sent = fixture.given(NewEvent.of(new TransferSent("a", "b", 100)).withEventId(eventId)
                    .withCorrelationId("request-1"));

            sent.expectCommands(new Deposit("b", 100));
            CommandMessage<?> message = sent.messages().get(0);
            assertThat(message.causationId()).isEqualTo(eventId.toString());
            assertThat(message.correlationId()).isEqualTo("request-1");
            assertThat(message.idempotencyKey()).isEqualTo("payout:" + eventId);
        }
    }

    @Test
    void eachGivenReturnsTheCommandsSentForItsEventsAndTheFixtureKeepsThemAll() {
        try (ProcessFixture<Payouts> fixture = ProcessFixture.of(Payouts::new)) {
            fixture.given(new TransferSent("a", "b", 1)).expectCommands(new Deposit("b", 1));
            fixture.given(new AccountOpened("c", "Ada")).expectNoCommands();
            fixture.given(new TransferSent("a", "c", 2), new TransferSent("a", "d", 3))
                    .expectCommands(new Deposit("c", 2), new Deposit("d", 3));

            assertThat(fixture.commands())
                    .containsExactly(new Deposit("b", 1), new Deposit("c", 2), new Deposit("d", 3));
            assertThat(fixture.process().lastVersion()).as("no answer configured: a result that appended nothing")
                    .isZero();
        }
    }

    @Test
    void aRefusedCommandCountsAsSentAndTheProcessSendsWhatItDoesInstead() {
        try (ProcessFixture<Payouts> fixture = ProcessFixture.of(Payouts::new)) {
            fixture.answer(Deposit.class, deposit -> {
                if (deposit.accountId().equals("b")) {
                    throw new IllegalStateException("account b is closed");
                }
                return new CommandResult(deposit.accountId(), "account-" + deposit.accountId(), 7, 11, 11, 1, false);
            });

            fixture.given(new TransferSent("a", "b", 100))
                    .expectCommands(new Deposit("b", 100), new Deposit("a", 100));
            assertThat(fixture.process().lastVersion()).as("the answer's result reached the process").isEqualTo(7);
        }
    }

    @Test
    void aRefusalTheProcessDoesNotCatchStopsItAndItsBatchSendsNothing() {
        try (ProcessFixture<Payouts> fixture = ProcessFixture.of(Payouts::new)) {
            fixture.refuse(Deposit.class, deposit -> new IllegalStateException("account " + deposit.accountId()
                    + " is closed"));

            assertThatThrownBy(() -> fixture.given(new TransferSent("a", "b", 100)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("projection 'payouts' stopped at the event at offset 1 (TransferSent)")
                    .hasMessageContaining("java.lang.IllegalStateException: account a is closed");
            assertThat(fixture.commands()).as("the batch was rolled back: its commands would not have appended").isEmpty();
        }
    }

    @Test
    void theCommandsOfABatchTriedAgainCountOnce() {
        try (ProcessFixture<Payouts> fixture = ProcessFixture.of(Payouts::new)) {
            // the batch of both events fails on the second; the worker then applies the first on its own
            assertThatThrownBy(() -> fixture.given(new TransferSent("a", "b", 1), new AccountClosed("poison-1")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("stopped at the event at offset 2 (AccountClosed)");

            assertThat(fixture.commands()).containsExactly(new Deposit("b", 1));
        }
    }

    @Test
    void anInMemoryProcessCountsItsCommandsAtOnce() {
        try (ProcessFixture<Welcomes> fixture = ProcessFixture.of(Welcomes::new)) {
            fixture.given(new AccountOpened("42", "Ada")).expectCommands(new Deposit("42", 5));
        }
    }

    @Test
    void aWrongExpectationShowsTheEventsAndTheCommandsSent() {
        try (ProcessFixture<Payouts> fixture = ProcessFixture.of(Payouts::new)) {
            SentCommands sent = fixture.given(new TransferSent("a", "b", 1));

            assertThatThrownBy(() -> sent.expectCommands(new Deposit("b", 2)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("commands sent for [TransferSent[accountId=a, toAccountId=b, amount=1]]")
                    .hasMessageContaining("Deposit[accountId=b, amount=1]");
            assertThatThrownBy(sent::expectNoCommands).isInstanceOf(AssertionError.class);
        }
    }

    /** A sample in-memory process: every new account gets a welcome deposit. */
    @Projection(value = "welcomes", inMemory = true)
    static final class Welcomes {

        private final CommandGateway commands;

        Welcomes(CommandGateway commands) {
            this.commands = commands;
        }

        @EventHandler
        void on(AccountOpened opened) {
            commands.sendAndWait(new Deposit(opened.accountId(), 5));
        }
    }
}
