package dev.kappa.bank.account;

import java.util.Currency;

import dev.kappa.bank.account.AccountCommands.Close;
import dev.kappa.bank.account.AccountCommands.CreditForTransfer;
import dev.kappa.bank.account.AccountCommands.DebitForTransfer;
import dev.kappa.bank.account.AccountCommands.Deposit;
import dev.kappa.bank.account.AccountCommands.Freeze;
import dev.kappa.bank.account.AccountCommands.OpenAccount;
import dev.kappa.bank.account.AccountCommands.RefundTransfer;
import dev.kappa.bank.account.AccountCommands.Unfreeze;
import dev.kappa.bank.account.AccountCommands.Withdraw;
import dev.kappa.bank.account.AccountEvents.AccountClosed;
import dev.kappa.bank.account.AccountEvents.AccountFrozen;
import dev.kappa.bank.account.AccountEvents.AccountOpened;
import dev.kappa.bank.account.AccountEvents.AccountUnfrozen;
import dev.kappa.bank.account.AccountEvents.MoneyCreditedByTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDebitedForTransfer;
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
import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.EventSourcingHandler;

/**
 * A bank account: it never goes below zero nor past the most a balance can hold, moves money only in its own
 * currency, neither pays nor receives while frozen, and closes only when empty. Transfers move through it in steps (debit, credit, refund), each its own command,
 * so that a transfer is a process that survives crashes (see {@code TransferProcess}).
 */
@Aggregate(streamPrefix = "account-", snapshotEvery = 200)
public class Account {

    enum Status { OPEN, FROZEN, CLOSED }

    @AggregateId
    private String id;
    private String currency;
    private long balance;
    private Status status;
    /** How many events it has applied: its stream's version, to name an event that cannot be applied. */
    private long version;
    /**
     * Why its state cannot be trusted, or null: an event in its stream overflows the balance. Recorded rather than
     * thrown, as an event-sourcing handler must not fail; every command is then refused with this.
     */
    private String overflow;

    private Account() {
    }

    @CommandHandler
    static AccountOpened open(OpenAccount command) {
        if (command.owner() == null || command.owner().isBlank()) {
            throw new InvalidAmount(command.accountId(), "an account needs an owner");
        }
        return new AccountOpened(command.accountId(), command.owner(), validCurrency(command.accountId(),
                command.currency()));
    }

    @CommandHandler
    MoneyDeposited deposit(Deposit command) {
        requireIntact();
        requirePayable(command.amount(), command.currency());
        requireRoomFor(command.amount());
        return new MoneyDeposited(id, command.amount());
    }

    @CommandHandler
    MoneyWithdrawn withdraw(Withdraw command) {
        requireIntact();
        requirePayable(command.amount(), command.currency());
        requireFunds(command.amount());
        return new MoneyWithdrawn(id, command.amount());
    }

    @CommandHandler
    AccountFrozen freeze(Freeze command) {
        requireIntact();
        requireNotClosed();
        return status == Status.FROZEN ? null : new AccountFrozen(id);
    }

    @CommandHandler
    AccountUnfrozen unfreeze(Unfreeze command) {
        requireIntact();
        requireNotClosed();
        return status == Status.OPEN ? null : new AccountUnfrozen(id);
    }

    @CommandHandler
    AccountClosed close(Close command) {
        requireIntact();
        if (status == Status.CLOSED) {
            return null;
        }
        if (balance != 0) {
            throw new NonEmptyAccount(id, balance);
        }
        return new AccountClosed(id);
    }

    @CommandHandler
    MoneyDebitedForTransfer debit(DebitForTransfer command) {
        requireIntact();
        requirePayable(command.amount(), command.currency());
        requireFunds(command.amount());
        return new MoneyDebitedForTransfer(id, command.transferId(), command.toAccountId(), command.amount(),
                currency);
    }

    @CommandHandler
    MoneyCreditedByTransfer credit(CreditForTransfer command) {
        requireIntact();
        requirePayable(command.amount(), command.currency());
        requireRoomFor(command.amount());
        return new MoneyCreditedByTransfer(id, command.transferId(), command.fromAccountId(), command.amount());
    }

    /**
     * Money owed back is returned whatever the account's state: a refund is refused only if the balance cannot hold
     * it (deposits since the debit have filled the account to the limit).
     */
    @CommandHandler
    TransferRefunded refund(RefundTransfer command) {
        requireIntact();
        if (command.amount() <= 0) {
            throw new InvalidAmount(id, "a refund must be positive but was " + command.amount());
        }
        requireRoomFor(command.amount());
        return new TransferRefunded(id, command.transferId(), command.amount(), command.reason());
    }

    @EventSourcingHandler
    void on(AccountOpened event) {
        version++;
        id = event.accountId();
        currency = event.currency();
        status = Status.OPEN;
    }

    @EventSourcingHandler
    void on(MoneyDeposited event) {
        move(event.amount(), true, "MoneyDeposited");
    }

    @EventSourcingHandler
    void on(MoneyWithdrawn event) {
        move(event.amount(), false, "MoneyWithdrawn");
    }

    @EventSourcingHandler
    void on(AccountFrozen event) {
        version++;
        status = Status.FROZEN;
    }

    @EventSourcingHandler
    void on(AccountUnfrozen event) {
        version++;
        status = Status.OPEN;
    }

    @EventSourcingHandler
    void on(AccountClosed event) {
        version++;
        status = Status.CLOSED;
    }

    @EventSourcingHandler
    void on(MoneyDebitedForTransfer event) {
        move(event.amount(), false, "MoneyDebitedForTransfer");
    }

    @EventSourcingHandler
    void on(MoneyCreditedByTransfer event) {
        move(event.amount(), true, "MoneyCreditedByTransfer");
    }

    @EventSourcingHandler
    void on(TransferRefunded event) {
        move(event.amount(), true, "TransferRefunded");
    }

    private void move(long amount, boolean credit, String eventType) {
        version++;
        if (overflow != null) {
            return;
        }
        try {
            balance = BalanceOverflow.moved(id, balance, amount, credit, "the " + eventType + " at version " + version,
                    "it takes no commands until that event is dealt with (docs/operations.md, \"Poison events\")");
        } catch (BalanceOverflow e) {
            overflow = e.getMessage();
        }
    }

    long balance() {
        return balance;
    }

    Status status() {
        return status;
    }

    private void requirePayable(long amount, String currency) {
        if (amount <= 0) {
            throw new InvalidAmount(id, "an amount must be positive but was " + amount);
        }
        if (!this.currency.equals(currency)) {
            throw new CurrencyMismatch(id, this.currency, currency);
        }
        requireNotClosed();
        if (status == Status.FROZEN) {
            throw new FrozenAccount(id);
        }
    }

    private void requireIntact() {
        if (overflow != null) {
            throw new BalanceOverflow(id, overflow);
        }
    }

    private void requireNotClosed() {
        if (status == Status.CLOSED) {
            throw new ClosedAccount(id);
        }
    }

    /** Exact arithmetic: a balance that would overflow is refused, never wrapped round to a negative one. */
    private void requireRoomFor(long amount) {
        try {
            Math.addExact(balance, amount);
        } catch (ArithmeticException overflow) {
            throw new BalanceLimit(id, balance, amount);
        }
    }

    private void requireFunds(long amount) {
        if (amount > balance) {
            throw new InsufficientFunds(id, balance, amount);
        }
    }

    private static String validCurrency(String accountId, String code) {
        try {
            return Currency.getInstance(code).getCurrencyCode();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidAmount(accountId, "'" + code + "' is not an ISO 4217 currency code, such as EUR");
        }
    }
}
