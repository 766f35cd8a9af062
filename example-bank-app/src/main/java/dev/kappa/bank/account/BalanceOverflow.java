package dev.kappa.bank.account;

/**
 * An event already in the log takes an account's balance past what a balance can hold (between {@link Long#MIN_VALUE}
 * and {@link Long#MAX_VALUE} minor units). The bank never writes one (such a command is refused as a
 * {@link AccountRuleViolation.BalanceLimit}), so the event was written before that rule or by another writer: it is
 * corrupted stored data, and wrapping the balance round to a wrong one would be worse than stopping.
 *
 * <p>A projection that meets it stops at that event ({@code FAILED} at its offset) until an operator skips it; the
 * account itself takes no command until the event is dealt with (docs/operations.md, "Poison events").
 */
public final class BalanceOverflow extends IllegalStateException {

    private final String accountId;

    BalanceOverflow(String accountId, String message) {
        super(message);
        this.accountId = accountId;
    }

    /** The account whose balance overflows. */
    public String accountId() {
        return accountId;
    }

    /**
     * The balance after a movement, computed exactly.
     *
     * @param amount the movement's amount as stored: added to the balance when {@code credit}, else taken from it
     * @param event  where the movement comes from, e.g. "the MoneyDeposited at version 3 (offset 17)"
     * @param remedy what the reader of the message should do
     * @throws BalanceOverflow if the result does not fit a balance
     */
    static long moved(String accountId, long balance, long amount, boolean credit, String event, String remedy) {
        try {
            return credit ? Math.addExact(balance, amount) : Math.subtractExact(balance, amount);
        } catch (ArithmeticException overflow) {
            throw new BalanceOverflow(accountId, "account '" + accountId + "' holds " + balance + " and " + event
                    + (credit ? " adds " : " takes away ") + amount + ", which would take the balance past what an"
                    + " account can hold: the event is corrupted data (the bank refuses such a movement) and is not"
                    + " applied; " + remedy);
        }
    }
}
