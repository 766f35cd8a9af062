package dev.kappa.boot.autoconfigure.gettingstarted;

import dev.kappa.eventstore.EventType;
import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.EventSourcingHandler;
import dev.kappa.framework.TargetAggregateId;

record OpenAccount(@TargetAggregateId String accountId, String owner) {}
record Deposit(@TargetAggregateId String accountId, long amount) {}
@EventType("AccountOpened") record AccountOpened(String accountId, String owner) {}
@EventType("MoneyDeposited") record MoneyDeposited(String accountId, long amount) {}

@Aggregate(streamPrefix = "account-")
class Account {
    @AggregateId private String id;

    private Account() {}

    @CommandHandler static AccountOpened open(OpenAccount c) { return new AccountOpened(c.accountId(), c.owner()); }
    @CommandHandler MoneyDeposited deposit(Deposit c) { return new MoneyDeposited(id, c.amount()); }

    @EventSourcingHandler void on(AccountOpened e) { id = e.accountId(); }
    @EventSourcingHandler void on(MoneyDeposited e) {}
}
