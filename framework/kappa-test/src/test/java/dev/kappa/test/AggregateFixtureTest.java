package dev.kappa.test;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateAlreadyExistsException;
import dev.kappa.framework.AggregateConfigurationException;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.AggregateNotFoundException;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.EventSourcingHandler;
import dev.kappa.framework.NoHandlerForCommandException;
import dev.kappa.test.Account.AccountClosed;
import dev.kappa.test.Account.AccountOpened;
import dev.kappa.test.Account.CloseAccount;
import dev.kappa.test.Account.Deposit;
import dev.kappa.test.Account.InsufficientFunds;
import dev.kappa.test.Account.MoneyDeposited;
import dev.kappa.test.Account.MoneyWithdrawn;
import dev.kappa.test.Account.OpenAccount;
import dev.kappa.test.Account.TransferOut;
import dev.kappa.test.Account.TransferSent;
import dev.kappa.test.Account.Withdraw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregateFixtureTest {

    private static final AccountOpened OPENED = new AccountOpened("42", "Ada");
    private static final MoneyDeposited DEPOSITED_100 = new MoneyDeposited("42", 100);

    /** An account '42' of Ada's holding 100. */
    private static AggregateFixture<Account> accountHolding100() {
        return AggregateFixture.of(Account.class).given(OPENED, DEPOSITED_100);
    }

    @Nested
    class Decisions {

        @Test
        void openingAnAccountNeedsNoGivenEventsAndSetsItsId() {
            AggregateFixture.of(Account.class)
                    .given()
                    .when(new OpenAccount("42", "Ada"))
                    .expectEvents(OPENED)
                    .expectState(account -> {
                        assertThat(account.id()).isEqualTo("42");
                        assertThat(account.owner()).isEqualTo("Ada");
                        assertThat(account.balance()).isZero();
                    });
        }

        @Test
        void withdrawingWithinTheBalanceDecidesMoneyWithdrawnAndLowersTheBalance() {
            accountHolding100()
                    .when(new Withdraw("42", 30))
                    .expectEvents(new MoneyWithdrawn("42", 30))
                    .expectState(account -> assertThat(account.balance()).isEqualTo(70));
        }

        @Test
        void withdrawingMoreThanTheBalanceThrowsInsufficientFunds() {
            accountHolding100()
                    .when(new Withdraw("42", 1_000))
                    .expectException(InsufficientFunds.class)
                    .hasMessage("account 42 holds 100, so 1000 cannot be taken from it");
        }

        @Test
        void transferringOutDecidesAWithdrawalAndThenATransfer() {
            accountHolding100()
                    .when(new TransferOut("42", "7", 40))
                    .expectEvents(new MoneyWithdrawn("42", 40), new TransferSent("42", "7", 40))
                    .expectState(account -> assertThat(account.balance()).isEqualTo(60));
        }

        @Test
        void closingAClosedAccountDecidesNothing() {
            AggregateFixture.of(Account.class)
                    .given(OPENED, new AccountClosed("42"))
                    .when(new CloseAccount("42"))
                    .expectNoEvents()
                    .expectState(account -> assertThat(account.closed()).isTrue());
        }

        @Test
        void closingAnAccountThatHoldsMoneyIsRefused() {
            accountHolding100()
                    .when(new CloseAccount("42"))
                    .expectException(IllegalStateException.class)
                    .hasMessageContaining("still holds 100");
        }

        @Test
        void aCommandMessageRunsItsCommand() {
            accountHolding100()
                    .when(CommandMessage.of(new Deposit("42", 5)).withMetadata("channel", "test"))
                    .expectEvents(List.of(new MoneyDeposited("42", 5)))
                    .expectState(account -> assertThat(account.balance()).isEqualTo(105));
        }

        @Test
        void givenEventsCanBeAList() {
            AggregateFixture.of(Account.class)
                    .given(List.of(OPENED, DEPOSITED_100, new MoneyWithdrawn("42", 100)))
                    .when(new CloseAccount("42"))
                    .expectEvents(new AccountClosed("42"));
        }
    }

    /** Failures the command gateway would throw are the command's outcome, as they would be in production. */
    @Nested
    class GatewayRules {

        @Test
        void aCommandOnAnAccountWithoutGivenEventsFailsWithAggregateNotFound() {
            AggregateFixture.of(Account.class)
                    .given()
                    .when(new Withdraw("42", 30))
                    .expectException(AggregateNotFoundException.class)
                    .hasMessageContaining("Account '42' does not exist");
        }

        @Test
        void aCommandForAnotherAccountThanTheGivenOneFailsWithAggregateNotFound() {
            accountHolding100()
                    .when(new Withdraw("43", 30))
                    .expectException(AggregateNotFoundException.class)
                    .hasMessageContaining("Account '43' does not exist");
        }

        @Test
        void openingAnAccountThatExistsFailsWithAggregateAlreadyExists() {
            accountHolding100()
                    .when(new OpenAccount("42", "Bob"))
                    .expectException(AggregateAlreadyExistsException.class)
                    .hasMessageContaining("Account '42' already exists");
        }

        @Test
        void aCommandTheAggregateDoesNotHandleFailsWithNoHandlerForCommand() {
            accountHolding100()
                    .when(new StartLedger("1"))
                    .expectException(NoHandlerForCommandException.class)
                    .hasMessageContaining(StartLedger.class.getName());
        }

        @Test
        void aCreatingHandlerThatDecidesNothingFails() {
            AggregateFixture.of(Ledger.class)
                    .given()
                    .when(new StartLedger("1"))
                    .expectException(IllegalStateException.class)
                    .hasMessageContaining("must return at least one event");
        }

        @Test
        void aCreatingHandlerWhoseEventLeavesTheIdUnsetFails() {
            AggregateFixture.of(Ledger.class)
                    .given()
                    .when(new DraftLedger("1"))
                    .expectException(IllegalStateException.class)
                    .hasMessageContaining("the @AggregateId of Ledger is still null");
        }
    }

    @Nested
    class FailureMessages {

        @Test
        void wrongExpectedEventsFailShowingExpectedAndActualEvents() {
            CommandOutcome<Account> outcome = accountHolding100().when(new Withdraw("42", 30));

            assertThatThrownBy(() -> outcome.expectEvents(new MoneyWithdrawn("42", 31)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("events decided by Withdraw[accountId=42, amount=30] on Account '42' (2 given"
                            + " events)")
                    .hasMessageContaining("MoneyWithdrawn[accountId=42, amount=31]")
                    .hasMessageContaining("MoneyWithdrawn[accountId=42, amount=30]");
        }

        @Test
        void expectedEventsInAnotherOrderFail() {
            CommandOutcome<Account> outcome = accountHolding100().when(new TransferOut("42", "7", 40));

            assertThatThrownBy(() -> outcome.expectEvents(new TransferSent("42", "7", 40),
                    new MoneyWithdrawn("42", 40)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("in same order")
                    .hasMessageContaining("element at index 0");
        }

        @Test
        void fewerExpectedEventsThanDecidedFail() {
            CommandOutcome<Account> outcome = accountHolding100().when(new TransferOut("42", "7", 40));

            assertThatThrownBy(() -> outcome.expectEvents(new MoneyWithdrawn("42", 40)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("TransferSent[accountId=42, toAccountId=7, amount=40]");
        }

        @Test
        void expectedEventsFailShowingTheUnexpectedExceptionWithItsMessageAsTheCause() {
            CommandOutcome<Account> outcome = accountHolding100().when(new Withdraw("42", 1_000));

            assertThatThrownBy(() -> outcome.expectEvents(new MoneyWithdrawn("42", 1_000)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to decide\n  [MoneyWithdrawn[accountId=42, amount=1000]]\nbut it threw\n  ")
                    .hasMessageContaining(InsufficientFunds.class.getName()
                            + ": account 42 holds 100, so 1000 cannot be taken from it")
                    .hasMessageContaining("at " + Account.class.getName() + ".requireFunds")
                    .cause().isInstanceOf(InsufficientFunds.class);
        }

        @Test
        void expectedEventsWithoutGivenEventsFailShowingAggregateNotFound() {
            CommandOutcome<Account> outcome = AggregateFixture.of(Account.class).given().when(new Withdraw("42", 30));

            assertThatThrownBy(() -> outcome.expectEvents(new MoneyWithdrawn("42", 30)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Withdraw[accountId=42, amount=30] on Account (no given events) to decide")
                    .hasMessageContaining(AggregateNotFoundException.class.getName()
                            + ": Account '42' does not exist, so it cannot handle Withdraw")
                    .cause().isInstanceOf(AggregateNotFoundException.class);
        }

        @Test
        void expectNoEventsFailsShowingTheDecidedEvents() {
            CommandOutcome<Account> outcome = accountHolding100().when(new Withdraw("42", 30));

            assertThatThrownBy(outcome::expectNoEvents)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting empty")
                    .hasMessageContaining("MoneyWithdrawn[accountId=42, amount=30]");
        }

        @Test
        void expectStateFailsWhenTheCommandThrew() {
            CommandOutcome<Account> outcome = accountHolding100().when(new Withdraw("42", 1_000));

            assertThatThrownBy(() -> outcome.expectState(account -> assertThat(account.balance()).isEqualTo(100)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to succeed, so that its state could be checked\nbut it threw")
                    .hasMessageContaining("InsufficientFunds")
                    .cause().isInstanceOf(InsufficientFunds.class);
        }

        @Test
        void expectStateFailsWithTheFailedAssertionOnTheState() {
            CommandOutcome<Account> outcome = accountHolding100().when(new Withdraw("42", 30));

            assertThatThrownBy(() -> outcome.expectState(account -> assertThat(account.balance()).isEqualTo(100)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("70");
        }

        @Test
        void expectExceptionFailsShowingTheEventsWhenTheCommandSucceeded() {
            CommandOutcome<Account> outcome = accountHolding100().when(new Withdraw("42", 30));

            assertThatThrownBy(() -> outcome.expectException(InsufficientFunds.class))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to throw\n  " + InsufficientFunds.class.getName()
                            + "\nbut it succeeded and decided")
                    .hasMessageContaining("MoneyWithdrawn[accountId=42, amount=30]");
        }

        @Test
        void expectExceptionFailsShowingTheOtherExceptionThatWasThrown() {
            CommandOutcome<Account> outcome = accountHolding100().when(new CloseAccount("42"));

            assertThatThrownBy(() -> outcome.expectException(InsufficientFunds.class))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("\nbut it threw\n  java.lang.IllegalStateException: account 42 still holds 100")
                    .cause().isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class Misuse {

        @Test
        void anInvalidAggregateClassFailsWithItsConfigurationProblems() {
            assertThatThrownBy(() -> AggregateFixture.of(NotAnAggregate.class))
                    .isInstanceOf(AggregateConfigurationException.class)
                    .hasMessageContaining("NotAnAggregate is not annotated with @Aggregate");
        }

        @Test
        void aSecondCommandOnTheSameFixtureIsRefused() {
            AggregateFixture<Account> fixture = accountHolding100();
            fixture.when(new Withdraw("42", 30));

            assertThatThrownBy(() -> fixture.when(new Withdraw("42", 30)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("when(...) was called already");
        }

        @Test
        void givenEventsAfterTheCommandAreRefused() {
            AggregateFixture<Account> fixture = AggregateFixture.of(Account.class);
            fixture.when(new OpenAccount("42", "Ada"));

            assertThatThrownBy(() -> fixture.given(DEPOSITED_100))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("given(...) must come before when(...)");
        }

        @Test
        void givenEventsInTwoCallsAreRefused() {
            AggregateFixture<Account> fixture = AggregateFixture.of(Account.class).given(OPENED);

            assertThatThrownBy(() -> fixture.given(DEPOSITED_100))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("given(...) was called already");
        }

        @Test
        void givenEventsThatLeaveTheIdUnsetAreRefused() {
            assertThatThrownBy(() -> AggregateFixture.of(Account.class).given(DEPOSITED_100))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the @AggregateId of Account is still null");
        }

        @Test
        void aGivenEventTheAggregateCannotApplyIsRefused() {
            assertThatThrownBy(() -> AggregateFixture.of(Account.class).given(OPENED, "not an event"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Account has no @EventSourcingHandler for java.lang.String");
        }
    }

    record StartLedger(String ledgerId) {
    }

    record DraftLedger(String ledgerId) {
    }

    record LedgerDrafted(String ledgerId) {
    }

    /** Creating handlers that break the gateway's rules. */
    @Aggregate
    static final class Ledger {

        @AggregateId
        private String id;

        private Ledger() {
        }

        @CommandHandler
        static List<LedgerDrafted> start(StartLedger command) {
            return List.of();
        }

        @CommandHandler
        static LedgerDrafted draft(DraftLedger command) {
            return new LedgerDrafted(command.ledgerId());
        }

        @EventSourcingHandler
        void on(LedgerDrafted event) {
            // forgets to set the id
        }
    }

    static final class NotAnAggregate {
    }
}
