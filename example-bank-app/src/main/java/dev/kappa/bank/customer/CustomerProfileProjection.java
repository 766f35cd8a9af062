package dev.kappa.bank.customer;

import org.springframework.stereotype.Component;

import dev.kappa.bank.customer.CustomerEvents.CustomerProfileChanged;
import dev.kappa.bank.customer.CustomerEvents.CustomerProfileErased;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;

/**
 * Keeps {@code customer_profile}, one row per customer. Rebuilt from a compacted log it reads only each customer's
 * latest profile: the change-capture use of the log. A profile replaces the previous one (and an erasure deletes it),
 * and the earlier ones may be compacted away, so the read model cannot be taken back to an earlier offset: its reset
 * handler clears it, and it can be reset only to 0.
 */
@Component
@Projection("customer-profiles")
class CustomerProfileProjection {

    private final CustomerProfileRepository profiles;

    CustomerProfileProjection(CustomerProfileRepository profiles) {
        this.profiles = profiles;
    }

    @EventHandler
    void on(CustomerProfileChanged event) {
        profiles.put(event.customerId(), event.name(), event.email());
    }

    @EventHandler
    void on(CustomerProfileErased event) {
        profiles.remove(event.customerId());
    }

    @ResetHandler
    void reset() {
        profiles.clear();
    }
}
