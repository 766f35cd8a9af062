package dev.kappa.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kappa.benchmarks.Movement.Kind;

/** The workload's event rule, checked by hand on its first events. */
class AccountBookTest {

    @Test
    void eachAccountOpensThenFollowsTheWorkloadsRule() {
        AccountBook book = new AccountBook(3);
        List<Movement> movements = new ArrayList<>();

        book.forEachInRounds(4, movements::add);

        // round-robin: event 0 of accounts 0, 1, 2, then event 1 of each, ...
        assertThat(movements).extracting(Movement::account).containsExactly(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2);
        assertThat(movements.subList(0, 3)).extracting(Movement::kind).containsOnly(Kind.OPEN);
        // account 0, i = 1: r = 17 % 10 = 7, a withdrawal of 1 + 0 % 50 = 1 that a balance of 0 cannot cover
        assertThat(movements.get(3)).isEqualTo(new Movement(0, 1, Kind.DEPOSIT, 100));
        // account 1, i = 1: r = (31 + 17) % 10 = 8, a withdrawal of 1 + 1 % 50 = 2, not covered either
        assertThat(movements.get(4)).isEqualTo(new Movement(1, 1, Kind.DEPOSIT, 100));
        // account 2, i = 1: r = (62 + 17) % 10 = 9, a withdrawal of 1 + 2 % 50 = 3, not covered
        assertThat(movements.get(5)).isEqualTo(new Movement(2, 1, Kind.DEPOSIT, 100));
        // account 0, i = 2: r = 34 % 10 = 4, a deposit of 1 + 2 % 500 = 3
        assertThat(movements.get(6)).isEqualTo(new Movement(0, 2, Kind.DEPOSIT, 3));
        // account 1, i = 2: r = (31 + 34) % 10 = 5, a deposit of 1 + 3 = 4
        assertThat(movements.get(7)).isEqualTo(new Movement(1, 2, Kind.DEPOSIT, 4));
        // account 0, i = 3: r = 51 % 10 = 1, a deposit of 1 + 3 = 4
        assertThat(movements.get(9)).isEqualTo(new Movement(0, 3, Kind.DEPOSIT, 4));
        assertThat(book.totalBalance()).isEqualTo(100 + 100 + 100 + 3 + 4 + movements.get(8).amount()
                + 4 + movements.get(10).amount() + movements.get(11).amount());
    }

    @Test
    void accountIdsAreTheWorkloadsNames() {
        assertThat(Movement.accountId(0)).isEqualTo("acc-00000");
        assertThat(Movement.accountId(7)).isEqualTo("acc-00007");
        assertThat(Movement.accountId(9_999)).isEqualTo("acc-09999");
        assertThat(Movement.accountId(123_456)).isEqualTo("acc-123456");
    }

    @Test
    void aWithdrawalTheBalanceCoversIsAWithdrawal() {
        AccountBook book = new AccountBook(1);
        List<Movement> movements = new ArrayList<>();

        book.forEachInRounds(30, movements::add);

        assertThat(movements).anyMatch(m -> m.kind() == Kind.WITHDRAW);
        long balance = 0;
        for (Movement m : movements) {
            balance += m.kind() == Kind.WITHDRAW ? -m.amount() : m.amount();
            assertThat(balance).isNotNegative();
        }
        assertThat(book.totalBalance()).isEqualTo(balance);
    }
}
