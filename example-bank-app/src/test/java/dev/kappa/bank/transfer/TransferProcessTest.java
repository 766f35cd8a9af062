package dev.kappa.bank.transfer;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.kappa.bank.account.Account;
import dev.kappa.bank.account.AccountCommands.CreditForTransfer;
import dev.kappa.bank.account.AccountCommands.DebitForTransfer;
import dev.kappa.bank.account.AccountCommands.RefundTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyCreditedByTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDebitedForTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDeposited;
import dev.kappa.bank.account.AccountEvents.TransferRefunded;
import dev.kappa.bank.account.AccountRuleViolation.ClosedAccount;
import dev.kappa.bank.account.AccountRuleViolation.InsufficientFunds;
import dev.kappa.bank.transfer.TransferMessages.CompleteTransfer;
import dev.kappa.bank.transfer.TransferMessages.FailTransfer;
import dev.kappa.bank.transfer.TransferMessages.RecordDebit;
import dev.kappa.bank.transfer.TransferMessages.RecordRefund;
import dev.kappa.bank.transfer.TransferMessages.TransferDebited;
import dev.kappa.bank.transfer.TransferMessages.TransferRequested;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.framework.AggregateNotFoundException;
import dev.kappa.framework.CommandMessage;
import dev.kappa.test.ProcessFixture;
import dev.kappa.test.SentCommands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transfer process, given each step's event: the commands it sends for the next step. */
class TransferProcessTest {

    private static final TransferRequested REQUESTED = new TransferRequested("t-1", "a", "b", 250, "EUR");
    private static final DebitForTransfer DEBIT = new DebitForTransfer("a", "t-1", "b", 250, "EUR");
    private static final MoneyDebitedForTransfer DEBITED = new MoneyDebitedForTransfer("a", "t-1", "b", 250, "EUR");
    private static final CreditForTransfer CREDIT = new CreditForTransfer("b", "t-1", "a", 250, "EUR");

    @Test
    void aRequestedTransferDebitsTheSourceOnceCausedByTheRequest() {
        UUID requestId = UUID.randomUUID();
        try (ProcessFixture<TransferProcess> fixture = ProcessFixture.of(TransferProcess::new)) {
            SentCommands sent = fixture.givenStream("transfer-t-1", NewEvent.of(REQUESTED).withEventId(requestId));

            sent.expectCommands(DEBIT);
            CommandMessage<?> debit = sent.messages().get(0);
            assertThat(debit.idempotencyKey()).isEqualTo("transfer:t-1:debit");
            assertThat(debit.causationId()).isEqualTo(requestId.toString());
            assertThat(debit.correlationId()).as("the request's conversation").isEqualTo(requestId.toString());
        }
    }

    @Test
    void aSourceThatRefusesTheDebitFailsTheTransfer() {
        try (ProcessFixture<TransferProcess> fixture = ProcessFixture.of(TransferProcess::new)) {
            fixture.refuse(DebitForTransfer.class, debit -> new InsufficientFunds(debit.accountId(), 100,
                    debit.amount()));

            fixture.givenStream("transfer-t-1", REQUESTED).expectCommands(DEBIT,
                    new FailTransfer("t-1", "account 'a' holds 100, less than the 250 asked for"));
        }
    }

    @Test
    void aSourceThatDoesNotExistFailsTheTransfer() {
        try (ProcessFixture<TransferProcess> fixture = ProcessFixture.of(TransferProcess::new)) {
            fixture.refuse(DebitForTransfer.class, debit -> new AggregateNotFoundException(Account.class,
                    debit.accountId(), DebitForTransfer.class));

            fixture.givenStream("transfer-t-1", REQUESTED).expectCommands(DEBIT, new FailTransfer("t-1",
                    "Account 'a' does not exist, so it cannot handle DebitForTransfer; create it first"));
        }
    }

    @Test
    void aDebitIsRecordedOnTheTransferAndCreditsTheTarget() {
        try (ProcessFixture<TransferProcess> fixture = ProcessFixture.of(TransferProcess::new)) {
            SentCommands sent = fixture.givenStream("account-a", DEBITED);

            sent.expectCommands(new RecordDebit("t-1"), CREDIT);
            assertThat(sent.messages()).extracting(CommandMessage::idempotencyKey)
                    .containsExactly("transfer:t-1:debited", "transfer:t-1:credit");
        }
    }

    @Test
    void aTargetThatRefusesTheCreditRefundsTheSource() {
        // --- printed in docs/projections.md, "Testing a projection" ---
        try (ProcessFixture<TransferProcess> fixture = ProcessFixture.of(TransferProcess::new)) {
            fixture.refuse(CreditForTransfer.class, credit -> new ClosedAccount(credit.accountId()));

            fixture.given(new MoneyDebitedForTransfer("a", "t-1", "b", 250, "EUR"))
                    .expectCommands(new RecordDebit("t-1"), new CreditForTransfer("b", "t-1", "a", 250, "EUR"),
                            new RefundTransfer("a", "t-1", 250, "account 'b' is closed"));
        }
        // --- end of the printed part ---
    }

    @Test
    void aCreditCompletesTheTransferAndARefundRecordsItsReversal() {
        try (ProcessFixture<TransferProcess> fixture = ProcessFixture.of(TransferProcess::new)) {
            fixture.givenStream("account-b", new MoneyCreditedByTransfer("b", "t-1", "a", 250))
                    .expectCommands(new CompleteTransfer("t-1"));
            fixture.givenStream("account-a", new TransferRefunded("a", "t-2", 250, "account 'b' is closed"))
                    .expectCommands(new RecordRefund("t-2", "account 'b' is closed"));
        }
    }

    @Test
    void theTransfersOwnStepsAndOtherMovementsSendNothing() {
        try (ProcessFixture<TransferProcess> fixture = ProcessFixture.of(TransferProcess::new)) {
            fixture.givenStream("transfer-t-1", new TransferDebited("t-1")).expectNoCommands();
            fixture.givenStream("account-a", new MoneyDeposited("a", 100)).expectNoCommands();
        }
    }

    @Test
    void aFailureThatIsNoRefusalStopsTheProcessAtTheEventAndSendsNothing() {
        try (ProcessFixture<TransferProcess> fixture = ProcessFixture.of(TransferProcess::new)) {
            fixture.refuse(DebitForTransfer.class, debit -> new IllegalStateException("the store is read-only"));

            assertThatThrownBy(() -> fixture.givenStream("transfer-t-1", REQUESTED))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("projection 'transfer-process' stopped at the event at offset 1"
                            + " (TransferRequested)")
                    .hasMessageContaining("java.lang.IllegalStateException: the store is read-only");
            assertThat(fixture.commands()).as("the batch was rolled back with the debit it sent").isEmpty();
        }
    }
}
