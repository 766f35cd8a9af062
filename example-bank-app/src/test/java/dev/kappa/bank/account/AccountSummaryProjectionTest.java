package dev.kappa.bank.account;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.bank.account.AccountEvents.AccountClosed;
import dev.kappa.bank.account.AccountEvents.AccountFrozen;
import dev.kappa.bank.account.AccountEvents.AccountOpened;
import dev.kappa.bank.account.AccountEvents.AccountUnfrozen;
import dev.kappa.bank.account.AccountEvents.MoneyCreditedByTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDebitedForTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDeposited;
import dev.kappa.bank.account.AccountEvents.MoneyWithdrawn;
import dev.kappa.bank.account.AccountEvents.TransferRefunded;
import dev.kappa.test.ProjectionFixture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blue-green {@code account_summary} read model, given accounts' events: its rows as readers see them, through the
 * view Kappa points at the generation that has caught up.
 */
class AccountSummaryProjectionTest {

    private static ProjectionFixture<AccountSummaryProjection> summaries() {
        return ProjectionFixture.of(dataSource -> new AccountSummaryProjection(new JdbcTemplate(dataSource)));
    }

    private static Map<String, Object> summary(String accountId, String owner, long balance, String status,
                                               long version) {
        return Map.of("account_id", accountId, "owner", owner, "currency", "EUR", "balance", balance,
                "status", status, "version", version);
    }

    @Test
    void anAccountsSummaryAddsUpItsMovementsAtTheVersionOfItsLastEvent() {
        try (ProjectionFixture<AccountSummaryProjection> fixture = summaries()) {
            fixture.givenStream("account-a", new AccountOpened("a", "Ada", "EUR"), new MoneyDeposited("a", 500),
                    new MoneyWithdrawn("a", 120));
            fixture.givenStream("account-b", new AccountOpened("b", "Grace", "EUR"));
            fixture.givenStream("account-a", new MoneyDebitedForTransfer("a", "t-1", "b", 80, "EUR"));
            fixture.givenStream("account-b", new MoneyCreditedByTransfer("b", "t-1", "a", 80));
            fixture.givenStream("account-a", new MoneyDebitedForTransfer("a", "t-2", "c", 50, "EUR"),
                    new TransferRefunded("a", "t-2", 50, "account 'c' is closed"));

            assertThat(fixture.rows("account_summary")).containsExactly(
                    summary("a", "Ada", 300, "OPEN", 6),
                    summary("b", "Grace", 80, "OPEN", 2));
        }
    }

    @Test
    void theStatusFollowsFreezingUnfreezingAndClosing() {
        try (ProjectionFixture<AccountSummaryProjection> fixture = summaries()) {
            fixture.givenStream("account-a", new AccountOpened("a", "Ada", "EUR"), new AccountFrozen("a"));
            assertThat(fixture.rows("account_summary")).containsExactly(summary("a", "Ada", 0, "FROZEN", 2));

            fixture.givenStream("account-a", new AccountUnfrozen("a"));
            assertThat(fixture.rows("account_summary")).containsExactly(summary("a", "Ada", 0, "OPEN", 3));

            fixture.givenStream("account-a", new AccountClosed("a"));
            assertThat(fixture.rows("account_summary")).containsExactly(summary("a", "Ada", 0, "CLOSED", 4));
        }
    }

    @Test
    void aRebuildWritesTheSameSummariesIntoTheNextGenerationAndReadersSwitchToIt() {
        // --- printed in docs/projections.md, "Testing a projection" ---
        try (ProjectionFixture<AccountSummaryProjection> fixture =
                     ProjectionFixture.of(dataSource -> new AccountSummaryProjection(new JdbcTemplate(dataSource)))) {
            fixture.givenStream("account-a", new AccountOpened("a", "Ada", "EUR"), new MoneyDeposited("a", 500));
            assertThat(fixture.rows("account_summary")).containsExactly(Map.of("account_id", "a", "owner", "Ada",
                    "currency", "EUR", "balance", 500L, "status", "OPEN", "version", 2L));

            fixture.rebuild();                           // blue-green: readers switch to generation 2, same rows
            assertThat(fixture.tables().name("account_summary")).isEqualTo("account_summary_g2");
            assertThat(fixture.rows("account_summary")).containsExactly(Map.of("account_id", "a", "owner", "Ada",
                    "currency", "EUR", "balance", 500L, "status", "OPEN", "version", 2L));
        }
        // --- end of the printed part ---
    }
}
