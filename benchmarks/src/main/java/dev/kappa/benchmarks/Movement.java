package dev.kappa.benchmarks;

import dev.kappa.benchmarks.Account.DepositMoney;
import dev.kappa.benchmarks.Account.OpenAccount;
import dev.kappa.benchmarks.Account.WithdrawMoney;
import dev.kappa.benchmarks.AccountEvent.AccountOpened;
import dev.kappa.benchmarks.AccountEvent.MoneyDeposited;
import dev.kappa.benchmarks.AccountEvent.MoneyWithdrawn;

/**
 * One event of the workload: the {@code index}-th of account number {@code account} (0 opens it), seen either as
 * the event itself (bulk-append) or as the command that decides it (write).
 *
 * @param account the account's number, 0 to A-1
 * @param index   the event's place in the account's stream, from 0; its stream version is {@code index + 1}
 * @param kind    what happens
 * @param amount  cents moved (0 for an opening)
 */
record Movement(int account, int index, Kind kind, long amount) {

    /** What a movement does to its account. */
    enum Kind { OPEN, DEPOSIT, WITHDRAW }

    /** The workload's name for account {@code number}: {@code acc-00000} and so on. */
    static String accountId(int number) {
        // what String.format("acc-%05d", number) says, without its parsing: the harness is not what is measured
        String digits = Integer.toString(number);
        return "acc-" + "00000".substring(Math.min(5, digits.length())) + digits;
    }

    String accountId() {
        return accountId(account);
    }

    /** The event as the log stores it. */
    AccountEvent event() {
        return switch (kind) {
            case OPEN -> new AccountOpened(accountId(), "owner-" + account, 0);
            case DEPOSIT -> new MoneyDeposited(amount);
            case WITHDRAW -> new MoneyWithdrawn(amount);
        };
    }

    /** The command whose decision is this event. */
    Object command() {
        return switch (kind) {
            case OPEN -> new OpenAccount(accountId(), "owner-" + account);
            case DEPOSIT -> new DepositMoney(accountId(), amount);
            case WITHDRAW -> new WithdrawMoney(accountId(), amount);
        };
    }
}
