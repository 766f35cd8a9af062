package dev.kappa.projections;

import org.junit.jupiter.api.Test;

import dev.kappa.projections.internal.upsert.WriteBatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Declaring and staging {@link Upserts}; what they write is tested on PostgreSQL in {@link UpsertsIntegrationTest}. */
class UpsertsTest {

    private final Upserts balances = Upserts.into("account_balance").key("account_id").add("balance").max("version");

    @Test
    void aDeclarationDescribesItself() {
        assertThat(balances.table()).isEqualTo("account_balance");
        assertThat(balances).hasToString("Upserts[account_balance key [account_id], add balance, max version]");
    }

    @Test
    void declarationMistakesAreRefused() {
        assertThatThrownBy(() -> Upserts.into("Account"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table name 'Account' must be a lower-case SQL identifier");
        assertThatThrownBy(() -> balances.key("other"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the key of Upserts into 'account_balance' is already [account_id]");
        assertThatThrownBy(() -> balances.set("balance"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'balance' of Upserts into 'account_balance' is declared twice");
        assertThatThrownBy(() -> balances.add("drop table x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a lower-case SQL identifier");
    }

    @Test
    void stagingMistakesAreRefused() {
        try (WriteBatch batch = WriteBatch.open("test", true, false)) {
            assertThatThrownBy(() -> balances.row("a", "b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Upserts into 'account_balance' has the key [account_id] but got 2 values [a, b]");
            assertThatThrownBy(() -> balances.row((Object) null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("key account_id of Upserts into 'account_balance' must not be null");
            assertThatThrownBy(() -> balances.row("a").put("owner", "Ada"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("column 'owner' of Upserts into 'account_balance' is not declared (declared: [balance,"
                            + " version])");
            assertThatThrownBy(() -> balances.row("a").put("account_id", "b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is a key column");
            assertThatThrownBy(() -> balances.row("a").put("balance", "ten"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("column 'balance' adds numbers, but got a java.lang.String (ten)");
            assertThatThrownBy(() -> balances.row("a").put("version", null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("must not be null");
            assertThatThrownBy(() -> Upserts.into("t").add("n").row("a"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Upserts into 't' has no key: declare it with key(...)");
            assertThat(batch.isEmpty()).isFalse();
        }
    }

    @Test
    void aBatchCannotBeOpenedTwiceOnOneThread() {
        try (WriteBatch batch = WriteBatch.open("first", true, false)) {
            assertThat(batch.isEmpty()).isTrue();
            assertThatThrownBy(() -> WriteBatch.open("second", true, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a write batch of projection 'first' is already open");
        }
        WriteBatch.open("again", true, false).close();
    }
}
