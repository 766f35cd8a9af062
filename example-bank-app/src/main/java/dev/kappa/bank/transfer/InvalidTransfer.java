package dev.kappa.bank.transfer;

import dev.kappa.framework.RuleViolationException;

/** A transfer that cannot even be requested: nothing to move, or nowhere to move it. Nothing was appended. */
public class InvalidTransfer extends RuleViolationException {

    public InvalidTransfer(String message) {
        super(message);
    }

    @Override
    public String rule() {
        return "invalid-transfer";
    }
}
