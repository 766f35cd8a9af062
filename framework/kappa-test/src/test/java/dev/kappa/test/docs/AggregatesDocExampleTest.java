package dev.kappa.test.docs;

import org.junit.jupiter.api.Test;

import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.EventSourcingHandler;
import dev.kappa.framework.TargetAggregateId;
import dev.kappa.test.AggregateFixture;

import static org.assertj.core.api.Assertions.assertThat;

/** The example of docs/aggregates.md, as printed there, so that it keeps compiling and passing. */
class AggregatesDocExampleTest {

    record OpenAccount(@TargetAggregateId String accountId, String owner) {}
    record Withdraw(@TargetAggregateId String accountId, long amount) {}
    record AccountOpened(String accountId, String owner) {}
    record MoneyDeposited(String accountId, long amount) {}
    record MoneyWithdrawn(String accountId, long amount) {}

    static class InsufficientFunds extends RuntimeException {
        InsufficientFunds(String id, long balance, long amount) {
            super("account " + id + " holds " + balance + ", not " + amount);
        }
    }

    @Aggregate(streamPrefix = "account-", snapshotEvery = 100)
    static class Account {
        @AggregateId private String id;
        private long balance;

        private Account() {}                                        // Kappa rebuilds instances from events

        @CommandHandler                                             // static: creates the aggregate
        static AccountOpened open(OpenAccount command) {
            return new AccountOpened(command.accountId(), command.owner());
        }

        @CommandHandler                                             // acts on the aggregate the command names
        MoneyWithdrawn withdraw(Withdraw command) {
            if (command.amount() > balance) throw new InsufficientFunds(id, balance, command.amount());
            return new MoneyWithdrawn(id, command.amount());       // or a List of events, or nothing
        }

        @EventSourcingHandler void on(AccountOpened event) { id = event.accountId(); }
        @EventSourcingHandler void on(MoneyDeposited event) { balance += event.amount(); }
        @EventSourcingHandler void on(MoneyWithdrawn event) { balance -= event.amount(); }

        long balance() {
            return balance;
        }
    }

    @Test
    void withdrawingMoreThanTheBalanceIsRefused() {
        AggregateFixture.of(Account.class)
                .given(new AccountOpened("42", "Ada"), new MoneyDeposited("42", 100))
                .when(new Withdraw("42", 130))
                .expectException(InsufficientFunds.class);
    }

    @Test
    void withdrawingLowersTheBalance() {
        AggregateFixture.of(Account.class)
                .given(new AccountOpened("42", "Ada"), new MoneyDeposited("42", 100))
                .when(new Withdraw("42", 30))
                .expectEvents(new MoneyWithdrawn("42", 30))
                .expectState(account -> assertThat(account.balance()).isEqualTo(70));
    }
}
