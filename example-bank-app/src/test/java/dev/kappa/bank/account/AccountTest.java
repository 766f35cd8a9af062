package dev.kappa.bank.account;

import org.junit.jupiter.api.Test;

import dev.kappa.bank.account.AccountCommands.Close;
import dev.kappa.bank.account.AccountCommands.CreditForTransfer;
import dev.kappa.bank.account.AccountCommands.Deposit;
import dev.kappa.bank.account.AccountCommands.Freeze;
import dev.kappa.bank.account.AccountCommands.OpenAccount;
import dev.kappa.bank.account.AccountCommands.RefundTransfer;
import dev.kappa.bank.account.AccountCommands.Withdraw;
import dev.kappa.bank.account.AccountEvents.AccountClosed;
import dev.kappa.bank.account.AccountEvents.AccountFrozen;
import dev.kappa.bank.account.AccountEvents.AccountOpened;
import dev.kappa.bank.account.AccountEvents.MoneyDeposited;
import dev.kappa.bank.account.AccountEvents.MoneyWithdrawn;
import dev.kappa.bank.account.AccountEvents.TransferRefunded;
import dev.kappa.bank.account.AccountRuleViolation.BalanceLimit;
import dev.kappa.bank.account.AccountRuleViolation.ClosedAccount;
import dev.kappa.bank.account.AccountRuleViolation.CurrencyMismatch;
import dev.kappa.bank.account.AccountRuleViolation.FrozenAccount;
import dev.kappa.bank.account.AccountRuleViolation.InsufficientFunds;
import dev.kappa.bank.account.AccountRuleViolation.InvalidAmount;
import dev.kappa.bank.account.AccountRuleViolation.NonEmptyAccount;
import dev.kappa.test.AggregateFixture;

import static org.assertj.core.api.Assertions.assertThat;

/** The account's rules, without a database. */
class AccountTest {

    private static final AccountOpened OPENED = new AccountOpened("acc", "Ada", "EUR");

    @Test
    void anAccountOpensInAValidCurrency() {
        AggregateFixture.of(Account.class)
                .given()
                .when(new OpenAccount("acc", "Ada", "EUR"))
                .expectEvents(OPENED)
                .expectState(account -> assertThat(account.status()).isEqualTo(Account.Status.OPEN));
        AggregateFixture.of(Account.class).given().when(new OpenAccount("acc", "Ada", "EURO"))
                .expectException(InvalidAmount.class).hasMessageContaining("'EURO' is not an ISO 4217 currency code");
    }

    @Test
    void anOverflowingEventInTheStreamIsNeverWrappedAndEveryCommandIsThenRefused() {
        // the event as written before the balance limit, or by another writer
        MoneyDeposited overflowing = new MoneyDeposited("acc", Long.MAX_VALUE);

        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", 1), overflowing)
                .when(new Deposit("acc", 1, "EUR"))
                .expectException(BalanceOverflow.class).hasMessage("account 'acc' holds 1 and the MoneyDeposited at"
                        + " version 3 adds " + Long.MAX_VALUE + ", which would take the balance past what an account"
                        + " can hold: the event is corrupted data (the bank refuses such a movement) and is not"
                        + " applied; it takes no commands until that event is dealt with (docs/operations.md,"
                        + " \"Poison events\")");
        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", 1), overflowing)
                .when(new Withdraw("acc", 1, "EUR"))
                .expectException(BalanceOverflow.class);
        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", 1), overflowing,
                        new MoneyWithdrawn("acc", 1))
                .when(new Close("acc"))
                .expectException(BalanceOverflow.class).hasMessageContaining("version 3");
    }

    @Test
    void aWithdrawalNeverTakesTheBalanceBelowZero() {
        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", 100))
                .when(new Withdraw("acc", 100, "EUR"))
                .expectEvents(new MoneyWithdrawn("acc", 100))
                .expectState(account -> assertThat(account.balance()).isZero());
        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", 100))
                .when(new Withdraw("acc", 101, "EUR"))
                .expectException(InsufficientFunds.class).hasMessage("account 'acc' holds 100, less than the 101 asked for");
    }

    @Test
    void aDepositCreditOrRefundThatWouldOverflowTheBalanceIsRefused() {
        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", 1))
                .when(new Deposit("acc", Long.MAX_VALUE, "EUR"))
                .expectException(BalanceLimit.class).hasMessage("account 'acc' holds 1: adding " + Long.MAX_VALUE
                        + " would take it past " + Long.MAX_VALUE + ", the most an account can hold");
        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", Long.MAX_VALUE - 5))
                .when(new CreditForTransfer("acc", "t-1", "other", 6, "EUR")).expectException(BalanceLimit.class);
        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", Long.MAX_VALUE))
                .when(new RefundTransfer("acc", "t-1", 1, "target closed")).expectException(BalanceLimit.class);
        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", 1))
                .when(new Deposit("acc", Long.MAX_VALUE - 1, "EUR"))
                .expectEvents(new MoneyDeposited("acc", Long.MAX_VALUE - 1))
                .expectState(account -> assertThat(account.balance()).isEqualTo(Long.MAX_VALUE));
    }

    @Test
    void moneyMovesOnlyInTheAccountsCurrency() {
        AggregateFixture.of(Account.class).given(OPENED).when(new Deposit("acc", 5, "USD"))
                .expectException(CurrencyMismatch.class).hasMessage("account 'acc' is in EUR, not USD");
    }

    @Test
    void aFrozenAccountNeitherPaysNorReceivesButTakesRefunds() {
        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", 50), new AccountFrozen("acc"))
                .when(new Withdraw("acc", 10, "EUR")).expectException(FrozenAccount.class);
        AggregateFixture.of(Account.class).given(OPENED, new AccountFrozen("acc"))
                .when(new CreditForTransfer("acc", "t-1", "other", 10, "EUR")).expectException(FrozenAccount.class);
        AggregateFixture.of(Account.class).given(OPENED, new AccountFrozen("acc"))
                .when(new RefundTransfer("acc", "t-1", 10, "target frozen"))
                .expectEvents(new TransferRefunded("acc", "t-1", 10, "target frozen"));
    }

    @Test
    void freezingAFrozenAccountDecidesNothing() {
        AggregateFixture.of(Account.class).given(OPENED, new AccountFrozen("acc")).when(new Freeze("acc"))
                .expectNoEvents();
    }

    @Test
    void onlyAnEmptyAccountCloses() {
        AggregateFixture.of(Account.class).given(OPENED, new MoneyDeposited("acc", 1)).when(new Close("acc"))
                .expectException(NonEmptyAccount.class);
        AggregateFixture.of(Account.class).given(OPENED).when(new Close("acc"))
                .expectEvents(new AccountClosed("acc"));
        AggregateFixture.of(Account.class).given(OPENED, new AccountClosed("acc")).when(new Deposit("acc", 1, "EUR"))
                .expectException(ClosedAccount.class);
    }
}
