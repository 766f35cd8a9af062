package dev.kappa.bank.transfer;

/** A transfer that cannot even be requested: nothing to move, or nowhere to move it. Nothing was appended. */
public class InvalidTransfer extends RuntimeException {

    public InvalidTransfer(String message) {
        super(message);
    }
}
