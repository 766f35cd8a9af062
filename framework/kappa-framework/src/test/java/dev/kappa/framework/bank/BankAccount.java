package dev.kappa.framework.bank;

import java.util.List;

import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.EventSourcingHandler;
import dev.kappa.framework.bank.BankCommands.Close;
import dev.kappa.framework.bank.BankCommands.Deposit;
import dev.kappa.framework.bank.BankCommands.OpenAccount;
import dev.kappa.framework.bank.BankCommands.Withdraw;
import dev.kappa.framework.bank.BankCommands.WithdrawAllAndClose;
import dev.kappa.framework.bank.BankEvents.AccountClosed;
import dev.kappa.framework.bank.BankEvents.AccountEvent;
import dev.kappa.framework.bank.BankEvents.AccountOpened;
import dev.kappa.framework.bank.BankEvents.MoneyDeposited;
import dev.kappa.framework.bank.BankEvents.MoneyWithdrawn;

/** The sample aggregate of the framework's tests. */
@Aggregate(streamPrefix = "account-", snapshotEvery = 10)
public class BankAccount {

    @AggregateId
    private String id;
    private String owner;
    private long balance;
    private boolean closed;

    private BankAccount() {
    }

    @CommandHandler
    static AccountOpened open(OpenAccount command) {
        return new AccountOpened(command.accountId(), command.owner());
    }

    @CommandHandler
    MoneyDeposited deposit(Deposit command, CommandMessage<Deposit> message) {
        if (command.amount() <= 0) {
            throw new IllegalArgumentException("a deposit must be positive but was " + command.amount());
        }
        return new MoneyDeposited(id, command.amount());
    }

    @CommandHandler
    MoneyWithdrawn withdraw(Withdraw command) {
        if (command.amount() > balance) {
            throw new InsufficientFunds(id, balance, command.amount());
        }
        return new MoneyWithdrawn(id, command.amount());
    }

    @CommandHandler
    List<AccountEvent> withdrawAllAndClose(WithdrawAllAndClose command) {
        return List.of(new MoneyWithdrawn(id, balance), new AccountClosed(id));
    }

    @CommandHandler
    AccountClosed close(Close command) {
        return closed ? null : new AccountClosed(id);
    }

    @EventSourcingHandler
    void on(AccountOpened event) {
        id = event.accountId();
        owner = event.owner();
    }

    @EventSourcingHandler
    void on(MoneyDeposited event) {
        balance += event.amount();
    }

    @EventSourcingHandler
    void on(MoneyWithdrawn event) {
        balance -= event.amount();
    }

    @EventSourcingHandler
    void on(AccountClosed event) {
        closed = true;
    }

    public String id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public long balance() {
        return balance;
    }

    public boolean closed() {
        return closed;
    }
}
