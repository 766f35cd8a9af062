/**
 * Transfers between accounts: the transfer's aggregate and messages, the process that drives each transfer step by
 * step by sending the next command, and the projection and repository of the {@code transfers} read model.
 */
package dev.kappa.bank.transfer;
