package dev.kappa.test;

import java.util.List;
import java.util.Optional;

import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.EventSourcingHandler;
import dev.kappa.framework.TargetAggregateId;

/** A sample aggregate: a bank account whose balance may not go below zero, and that closes only when empty. */
@Aggregate
class Account {

    record OpenAccount(@TargetAggregateId String accountId, String owner) {
    }

    record Deposit(@TargetAggregateId String accountId, long amount) {
    }

    record Withdraw(@TargetAggregateId String accountId, long amount) {
    }

    record TransferOut(@TargetAggregateId String accountId, String toAccountId, long amount) {
    }

    record CloseAccount(@TargetAggregateId String accountId) {
    }

    sealed interface AccountEvent {
    }

    record AccountOpened(String accountId, String owner) implements AccountEvent {
    }

    record MoneyDeposited(String accountId, long amount) implements AccountEvent {
    }

    record MoneyWithdrawn(String accountId, long amount) implements AccountEvent {
    }

    record TransferSent(String accountId, String toAccountId, long amount) implements AccountEvent {
    }

    record AccountClosed(String accountId) implements AccountEvent {
    }

    /** The business rule of withdrawals: the balance may not go below zero. */
    static final class InsufficientFunds extends RuntimeException {

        InsufficientFunds(String accountId, long balance, long amount) {
            super("account " + accountId + " holds " + balance + ", so " + amount + " cannot be taken from it");
        }
    }

    @AggregateId
    private String id;
    private String owner;
    private long balance;
    private boolean closed;

    private Account() {
    }

    @CommandHandler
    static AccountOpened open(OpenAccount command) {
        return new AccountOpened(command.accountId(), command.owner());
    }

    @CommandHandler
    MoneyDeposited deposit(Deposit command) {
        return new MoneyDeposited(id, command.amount());
    }

    @CommandHandler
    MoneyWithdrawn withdraw(Withdraw command) {
        requireFunds(command.amount());
        return new MoneyWithdrawn(id, command.amount());
    }

    @CommandHandler
    List<AccountEvent> transferOut(TransferOut command) {
        requireFunds(command.amount());
        return List.of(new MoneyWithdrawn(id, command.amount()),
                new TransferSent(id, command.toAccountId(), command.amount()));
    }

    /** Closing a closed account decides nothing; closing one that holds money is refused. */
    @CommandHandler
    Optional<AccountClosed> close(CloseAccount command) {
        if (closed) {
            return Optional.empty();
        }
        if (balance != 0) {
            throw new IllegalStateException("account " + id + " still holds " + balance + "; empty it before closing");
        }
        return Optional.of(new AccountClosed(id));
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
    void on(TransferSent event) {
        // the withdrawal that goes with it changed the balance
    }

    @EventSourcingHandler
    void on(AccountClosed event) {
        closed = true;
    }

    String id() {
        return id;
    }

    String owner() {
        return owner;
    }

    long balance() {
        return balance;
    }

    boolean closed() {
        return closed;
    }

    private void requireFunds(long amount) {
        if (amount > balance) {
            throw new InsufficientFunds(id, balance, amount);
        }
    }
}
