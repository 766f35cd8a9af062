package dev.kappa.bank.account;

import org.junit.jupiter.api.Test;

import dev.kappa.bank.account.AccountEvents.AccountClosed;
import dev.kappa.bank.account.AccountEvents.AccountFrozen;
import dev.kappa.bank.account.AccountEvents.AccountOpened;
import dev.kappa.bank.account.AccountEvents.MoneyCreditedByTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDeposited;
import dev.kappa.bank.account.AccountEvents.MoneyWithdrawn;
import dev.kappa.test.ProjectionFixture;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory account cache the hot read path serves from, given accounts' events. */
class AccountCacheTest {

    @Test
    void theCacheHoldsEachAccountWithItsBalanceStatusAndVersion() {
        try (ProjectionFixture<AccountCache> fixture = ProjectionFixture.of(new AccountCache())) {
            fixture.givenStream("account-a", new AccountOpened("a", "Ada", "EUR"), new MoneyDeposited("a", 500),
                    new MoneyWithdrawn("a", 200), new AccountFrozen("a"));
            fixture.givenStream("account-b", new AccountOpened("b", "Grace", "CHF"),
                    new MoneyCreditedByTransfer("b", "t-1", "a", 40), new AccountClosed("b"));

            assertThat(fixture.projection().find("a")).contains(new AccountView("a", "Ada", "EUR", 300, "FROZEN", 4));
            assertThat(fixture.projection().find("b")).contains(new AccountView("b", "Grace", "CHF", 40, "CLOSED", 3));
            assertThat(fixture.projection().find("c")).isEmpty();
        }
    }

    @Test
    void aDepositRaisesTheCachedBalance() {
        // --- printed in docs/projections.md, "Testing a projection" ---
        try (ProjectionFixture<AccountCache> fixture = ProjectionFixture.of(new AccountCache())) {
            fixture.givenStream("account-a", new AccountOpened("a", "Ada", "EUR"), new MoneyDeposited("a", 500));
            assertThat(fixture.projection().find("a")).contains(new AccountView("a", "Ada", "EUR", 500, "OPEN", 2));
        }
        // --- end of the printed part ---
    }

    @Test
    void aMovementOfAnAccountTheCacheDoesNotKnowIsIgnored() {
        try (ProjectionFixture<AccountCache> fixture = ProjectionFixture.of(new AccountCache())) {
            fixture.givenStream("account-x", new MoneyDeposited("x", 500));

            assertThat(fixture.projection().find("x")).isEmpty();
        }
    }

    @Test
    void aResetEmptiesTheCacheAndReplaysTheLogIntoIt() {
        try (ProjectionFixture<AccountCache> fixture = ProjectionFixture.of(new AccountCache())) {
            fixture.givenStream("account-a", new AccountOpened("a", "Ada", "EUR"), new MoneyDeposited("a", 500));

            fixture.reset(0);

            assertThat(fixture.projection().find("a")).contains(new AccountView("a", "Ada", "EUR", 500, "OPEN", 2));
        }
    }
}
