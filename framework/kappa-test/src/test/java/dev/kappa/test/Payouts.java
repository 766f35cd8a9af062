package dev.kappa.test;

import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.CommandResult;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.test.Account.AccountClosed;
import dev.kappa.test.Account.Deposit;
import dev.kappa.test.Account.TransferSent;

/**
 * A sample process: a transfer sent from one account is deposited into the other, or, if that account refuses it,
 * deposited back. It remembers the version the last deposit left its account at, which the gateway answers.
 */
@Projection("payouts")
class Payouts {

    private final CommandGateway commands;
    private volatile long lastVersion;

    Payouts(CommandGateway commands) {
        this.commands = commands;
    }

    long lastVersion() {
        return lastVersion;
    }

    @EventHandler
    void on(TransferSent sent, EventContext context) {
        try {
            deposit(new Deposit(sent.toAccountId(), sent.amount()), context, "payout");
        } catch (IllegalStateException refused) {
            deposit(new Deposit(sent.accountId(), sent.amount()), context, "return");
        }
    }

    @EventHandler
    void on(AccountClosed closed) {
        if (closed.accountId().startsWith("poison")) {
            throw new IllegalStateException("account " + closed.accountId() + " cannot be closed here");
        }
    }

    private void deposit(Deposit deposit, EventContext cause, String step) {
        CommandResult result = commands.sendAndWait(CommandMessage.causedBy(deposit, cause.metadata())
                .withIdempotencyKey(step + ":" + cause.eventId()));
        lastVersion = result.version();
    }
}
