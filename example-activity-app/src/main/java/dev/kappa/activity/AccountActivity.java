package dev.kappa.activity;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An account's activity, as this application has read it from the bank's log.
 *
 * @param accountId      the account
 * @param owner          its owner, once the opening has been read
 * @param deposits       how many deposits it had
 * @param withdrawals    how many withdrawals
 * @param transfersOut   how many transfers it paid
 * @param transfersIn    how many transfers it received
 * @param openedAt       when it was opened
 * @param lastActivityAt when it was last opened, paid into or out of
 * @param lastOffset     the bank's log offset of the last event counted
 */
public record AccountActivity(String accountId, @Nullable String owner, long deposits, long withdrawals,
                              long transfersOut, long transfersIn, @Nullable Instant openedAt, Instant lastActivityAt,
                              long lastOffset) {
}
