package dev.kappa.bank.account;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.bank.ReadModels;
import dev.kappa.bank.account.AccountEvents.AccountFrozen;
import dev.kappa.bank.account.AccountEvents.AccountOpened;
import dev.kappa.bank.account.AccountEvents.MoneyCreditedByTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDebitedForTransfer;
import dev.kappa.bank.account.AccountEvents.MoneyDeposited;
import dev.kappa.bank.account.AccountEvents.MoneyWithdrawn;
import dev.kappa.bank.account.AccountEvents.TransferRefunded;
import dev.kappa.test.ProjectionFixture;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code account_transactions} read model, given accounts' events: one row per movement of money. */
class AccountTransactionsProjectionTest {

    private static ProjectionFixture<AccountTransactionsProjection> fixture(ReadModels readModels) {
        return ProjectionFixture.of(new AccountTransactionsProjection(
                readModels.repository(AccountTransactionRepository.class))).on(readModels.dataSource());
    }

    /** offset, account, kind, amount and transfer of each row, in offset order. */
    private static List<List<Object>> movements(ProjectionFixture<?> fixture) {
        return fixture.rows("account_transactions").stream()
                .map(row -> Arrays.asList(row.get("log_offset"), row.get("account_id"), row.get("kind"),
                        row.get("amount"), row.get("transfer_id")))
                .toList();
    }

    @Test
    void everyMovementOfMoneyIsARowAtItsEventsOffsetAndNothingElseIs() {
        try (ReadModels readModels = ReadModels.start();
             ProjectionFixture<AccountTransactionsProjection> fixture = fixture(readModels)) {
            fixture.givenStream("account-a", new AccountOpened("a", "Ada", "EUR"), new MoneyDeposited("a", 500),
                    new MoneyWithdrawn("a", 120), new AccountFrozen("a"),
                    new MoneyDebitedForTransfer("a", "t-1", "b", 80, "EUR"),
                    new TransferRefunded("a", "t-1", 80, "account 'b' is closed"));
            fixture.givenStream("account-c", new MoneyCreditedByTransfer("c", "t-2", "a", 30));

            assertThat(movements(fixture)).containsExactly(
                    Arrays.asList(2L, "a", "DEPOSIT", 500L, null),
                    Arrays.asList(3L, "a", "WITHDRAWAL", -120L, null),
                    List.of(5L, "a", "TRANSFER_OUT", -80L, "t-1"),
                    List.of(6L, "a", "REFUND", 80L, "t-1"),
                    List.of(7L, "c", "TRANSFER_IN", 30L, "t-2"));
            assertThat(fixture.rows("account_transactions")).allSatisfy(row ->
                    assertThat(row.get("recorded_at")).isNotNull());
        }
    }

    @Test
    void aResetToAnOffsetKeepsTheRowsUpToItAndReplaysTheRest() {
        try (ReadModels readModels = ReadModels.start();
             ProjectionFixture<AccountTransactionsProjection> fixture = fixture(readModels)) {
            fixture.givenStream("account-a", new AccountOpened("a", "Ada", "EUR"), new MoneyDeposited("a", 1),
                    new MoneyDeposited("a", 2), new MoneyDeposited("a", 3));
            readModels.repository(JdbcTemplate.class)
                    .update("UPDATE account_transactions SET kind = 'MARKED'");

            fixture.reset(3);

            assertThat(fixture.rows("account_transactions")).extracting(row -> row.get("kind"))
                    .as("the rows up to offset 3 stay, the later one is written again")
                    .containsExactly("MARKED", "MARKED", "DEPOSIT");
        }
    }
}
