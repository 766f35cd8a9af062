package dev.kappa.bank.customer;

import dev.kappa.eventstore.EventType;

/** Customer profiles, kept in the log as keyed records: compaction keeps only the latest per customer. */
public final class CustomerEvents {

    private CustomerEvents() {
    }

    /** A customer's whole profile as it now is: the latest one supersedes all earlier ones. */
    @EventType("CustomerProfileChanged")
    public record CustomerProfileChanged(String customerId, String name, String email) {
    }

    /** The customer's profile is gone: a tombstone, after which compaction removes the key altogether. */
    @EventType("CustomerProfileErased")
    public record CustomerProfileErased(String customerId) {
    }

    /** The compaction key of a customer's records. */
    static String key(String customerId) {
        return "customer:" + customerId;
    }

    /** The stream of a customer's records. */
    static String stream(String customerId) {
        return "customer-" + customerId;
    }
}
