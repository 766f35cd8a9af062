package dev.kappa.framework.bank;

/** A business rule: an account never goes below zero. */
public class InsufficientFunds extends RuntimeException {

    public InsufficientFunds(String accountId, long balance, long amount) {
        super("account " + accountId + " holds " + balance + ", less than " + amount);
    }
}
