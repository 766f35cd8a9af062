package dev.kappa.benchmarks;

import dev.kappa.benchmarks.AccountEvent.AccountOpened;
import dev.kappa.benchmarks.AccountEvent.MoneyDeposited;
import dev.kappa.benchmarks.AccountEvent.MoneyWithdrawn;
import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.EventSourcingHandler;
import dev.kappa.framework.TargetAggregateId;

/**
 * The account aggregate of the write and latency phases: event-sourced, with the framework's default snapshot policy
 * (none). Its stream ids are {@value #STREAM_PREFIX} followed by the account id.
 */
@Aggregate(streamPrefix = Account.STREAM_PREFIX)
final class Account {

    static final String STREAM_PREFIX = "account-";

    @AggregateId
    private String id;
    private long balance;

    private Account() {
    }

    /** Opens an account. */
    record OpenAccount(@TargetAggregateId String accountId, String owner) {
    }

    /** Puts money in. */
    record DepositMoney(@TargetAggregateId String accountId, long amount) {
    }

    /** Takes money out, if the balance covers it. */
    record WithdrawMoney(@TargetAggregateId String accountId, long amount) {
    }

    /** The workload never withdraws more than the balance: if it does, the benchmark itself is wrong. */
    static final class InsufficientFunds extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InsufficientFunds(String accountId, long balance, long amount) {
            super("account " + accountId + " holds " + balance + " cents, not the " + amount + " asked for");
        }
    }

    static String streamId(String accountId) {
        return STREAM_PREFIX + accountId;
    }

    @CommandHandler
    static AccountOpened open(OpenAccount command) {
        return new AccountOpened(command.accountId(), command.owner(), 0);
    }

    @CommandHandler
    MoneyDeposited deposit(DepositMoney command) {
        return new MoneyDeposited(command.amount());
    }

    @CommandHandler
    MoneyWithdrawn withdraw(WithdrawMoney command) {
        if (command.amount() > balance) {
            throw new InsufficientFunds(id, balance, command.amount());
        }
        return new MoneyWithdrawn(command.amount());
    }

    @EventSourcingHandler
    void on(AccountOpened event) {
        id = event.accountId();
        balance = event.openingBalance();
    }

    @EventSourcingHandler
    void on(MoneyDeposited event) {
        balance += event.amount();
    }

    @EventSourcingHandler
    void on(MoneyWithdrawn event) {
        balance -= event.amount();
    }
}
