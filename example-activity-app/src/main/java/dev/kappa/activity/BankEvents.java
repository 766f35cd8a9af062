package dev.kappa.activity;

import dev.kappa.eventstore.EventType;

/**
 * The bank's events this application reads, as it sees them on Kafka: JSON under a type name. These records are its
 * own, not the bank's classes: each takes the fields it needs from the JSON, by the bank's type name, and ignores the
 * rest. Events of other types (transfers' own, customer profiles) have no handler here and are skipped undecoded.
 */
final class BankEvents {

    private BankEvents() {
    }

    @EventType("AccountOpened")
    record AccountOpened(String accountId, String owner) {
    }

    @EventType("MoneyDeposited")
    record MoneyDeposited(String accountId, long amount) {
    }

    @EventType("MoneyWithdrawn")
    record MoneyWithdrawn(String accountId, long amount) {
    }

    @EventType("MoneyDebitedForTransfer")
    record MoneyDebitedForTransfer(String accountId, String transferId, long amount) {
    }

    @EventType("MoneyCreditedByTransfer")
    record MoneyCreditedByTransfer(String accountId, String transferId, long amount) {
    }
}
