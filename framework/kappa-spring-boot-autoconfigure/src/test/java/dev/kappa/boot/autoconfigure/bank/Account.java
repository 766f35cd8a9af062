package dev.kappa.boot.autoconfigure.bank;

import dev.kappa.eventstore.EventType;
import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.EventSourcingHandler;
import dev.kappa.framework.TargetAggregateId;

@Aggregate(streamPrefix = "account-")
class Account {

    record OpenAccount(@TargetAggregateId String accountId, String owner) {
    }

    record Deposit(@TargetAggregateId String accountId, long amount) {
    }

    @EventType("AccountOpened")
    record AccountOpened(String accountId, String owner) {
    }

    @EventType("MoneyDeposited")
    record MoneyDeposited(String accountId, long amount) {
    }

    @AggregateId
    private String id;

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

    @EventSourcingHandler
    void on(AccountOpened event) {
        id = event.accountId();
    }

    @EventSourcingHandler
    void on(MoneyDeposited event) {
    }
}
