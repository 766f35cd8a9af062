package dev.kappa.bank.account;

import java.util.Map;

import dev.kappa.framework.RuleViolationException;

/**
 * An account refused a command because of a business rule. Nothing was appended. The subclasses say which rule;
 * {@link #rule()} is a stable name for clients.
 */
public abstract class AccountRuleViolation extends RuleViolationException {

    private final String accountId;

    protected AccountRuleViolation(String accountId, String message) {
        super(message);
        this.accountId = accountId;
    }

    /** The account that refused. */
    public String accountId() {
        return accountId;
    }

    /** The rule's stable name, e.g. {@code insufficient-funds}. */
    @Override
    public abstract String rule();

    /** The account, for the client to act on. */
    @Override
    public Map<String, Object> details() {
        return Map.of("accountId", accountId);
    }

    /** The balance may not go below zero. */
    public static final class InsufficientFunds extends AccountRuleViolation {
        public InsufficientFunds(String accountId, long balance, long amount) {
            super(accountId, "account '" + accountId + "' holds " + balance + ", less than the " + amount + " asked for");
        }

        @Override
        public String rule() {
            return "insufficient-funds";
        }
    }

    /**
     * A balance never goes past the largest amount it can hold ({@link Long#MAX_VALUE} minor units): a deposit or
     * credit that would take it there is refused rather than wrapped round to a negative balance.
     */
    public static final class BalanceLimit extends AccountRuleViolation {
        public BalanceLimit(String accountId, long balance, long amount) {
            super(accountId, "account '" + accountId + "' holds " + balance + ": adding " + amount + " would take it"
                    + " past " + Long.MAX_VALUE + ", the most an account can hold");
        }

        @Override
        public String rule() {
            return "balance-limit";
        }
    }

    /** Money moves only in the account's own currency. */
    public static final class CurrencyMismatch extends AccountRuleViolation {
        public CurrencyMismatch(String accountId, String accountCurrency, String currency) {
            super(accountId, "account '" + accountId + "' is in " + accountCurrency + ", not " + currency);
        }

        @Override
        public String rule() {
            return "currency-mismatch";
        }
    }

    /** A frozen account neither pays nor receives until it is unfrozen. */
    public static final class FrozenAccount extends AccountRuleViolation {
        public FrozenAccount(String accountId) {
            super(accountId, "account '" + accountId + "' is frozen: unfreeze it first");
        }

        @Override
        public String rule() {
            return "account-frozen";
        }
    }

    /** A closed account takes no more commands. */
    public static final class ClosedAccount extends AccountRuleViolation {
        public ClosedAccount(String accountId) {
            super(accountId, "account '" + accountId + "' is closed");
        }

        @Override
        public String rule() {
            return "account-closed";
        }
    }

    /** Only an empty account can be closed. */
    public static final class NonEmptyAccount extends AccountRuleViolation {
        public NonEmptyAccount(String accountId, long balance) {
            super(accountId, "account '" + accountId + "' still holds " + balance + ": empty it before closing it");
        }

        @Override
        public String rule() {
            return "account-not-empty";
        }
    }

    /** A command that is invalid in itself: a non-positive amount, an unknown currency. */
    public static final class InvalidAmount extends AccountRuleViolation {
        public InvalidAmount(String accountId, String message) {
            super(accountId, message);
        }

        @Override
        public String rule() {
            return "invalid-request";
        }
    }
}
