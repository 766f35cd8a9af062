package dev.kappa.benchmarks;

import java.util.function.Consumer;

import dev.kappa.benchmarks.Movement.Kind;

/**
 * Produces each account's events by the workload's rule and keeps the balances they lead to, which are the expected
 * sums the benchmark checks the store and the read model against.
 *
 * <p>Money event {@code i} (from 1) of account {@code a}: with {@code r = (a * 31 + i * 17) % 10}, {@code r < 7} is a
 * deposit of {@code 1 + (a + i) % 500}; otherwise a withdrawal of {@code 1 + (a * i) % 50} if the balance covers it,
 * else a deposit of 100.
 *
 * <p>Not thread-safe as a whole, but each account's state is its own: threads may advance disjoint sets of accounts
 * concurrently, and {@link #totalBalance()} is exact once they have been joined.
 */
final class AccountBook {

    private final long[] balances;
    private final int[] nextIndex;

    AccountBook(int accounts) {
        this.balances = new long[accounts];
        this.nextIndex = new int[accounts];
    }

    /** The account's next event, which is applied to its balance at once. */
    Movement next(int account) {
        int i = nextIndex[account]++;
        Movement movement = movement(account, i, balances[account]);
        balances[account] += switch (movement.kind()) {
            case OPEN -> 0;
            case DEPOSIT -> movement.amount();
            case WITHDRAW -> -movement.amount();
        };
        return movement;
    }

    /**
     * The next {@code rounds} events of every account in the workload's interleaved order, as real traffic would come:
     * the next event of every account, then the one after, and so on.
     */
    void forEachInRounds(int rounds, Consumer<Movement> each) {
        for (int round = 0; round < rounds; round++) {
            for (int account = 0; account < balances.length; account++) {
                each.accept(next(account));
            }
        }
    }

    long totalBalance() {
        long total = 0;
        for (long balance : balances) {
            total += balance;
        }
        return total;
    }

    private static Movement movement(int a, int i, long balance) {
        if (i == 0) {
            return new Movement(a, 0, Kind.OPEN, 0);
        }
        int r = (int) (((long) a * 31 + (long) i * 17) % 10);
        if (r < 7) {
            return new Movement(a, i, Kind.DEPOSIT, 1 + (a + i) % 500);
        }
        long amount = 1 + ((long) a * i) % 50;
        return balance >= amount
                ? new Movement(a, i, Kind.WITHDRAW, amount)
                : new Movement(a, i, Kind.DEPOSIT, 100);
    }
}
