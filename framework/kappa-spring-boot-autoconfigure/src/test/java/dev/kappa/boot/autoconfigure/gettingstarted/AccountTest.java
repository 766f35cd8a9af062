package dev.kappa.boot.autoconfigure.gettingstarted;

import org.junit.jupiter.api.Test;

import dev.kappa.test.AggregateFixture;

class AccountTest {
    @Test
    void depositing() {
        AggregateFixture.of(Account.class)
                .given(new AccountOpened("42", "Ada"))
                .when(new Deposit("42", 100))
                .expectEvents(new MoneyDeposited("42", 100));
    }
}
