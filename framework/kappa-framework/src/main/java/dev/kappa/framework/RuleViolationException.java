package dev.kappa.framework;

import java.util.Map;

/**
 * A command refused by a rule of the domain: insufficient funds, a transfer to the same account. Nothing was
 * appended. Extend it for your rules: {@link #rule()} names the rule for clients, {@link #details()} adds what they
 * need to act on the refusal. The starter's web support answers it with a 422 problem whose type is the rule.
 *
 * <pre>{@code
 * class InsufficientFunds extends RuleViolationException {
 *     InsufficientFunds(String account, long balance, long amount) {
 *         super("account '" + account + "' holds " + balance + ", less than the " + amount + " asked for");
 *     }
 *
 *     @Override
 *     public String rule() { return "insufficient-funds"; }
 * }
 * }</pre>
 */
public abstract class RuleViolationException extends RuntimeException {

    protected RuleViolationException(String message) {
        super(message);
    }

    protected RuleViolationException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The rule's stable name, for clients to act on: lower-case words joined by {@code -}, such as
     * {@code insufficient-funds}.
     */
    public abstract String rule();

    /** What a client needs to act on the refusal, such as the account's id; none unless overridden. */
    public Map<String, Object> details() {
        return Map.of();
    }
}
