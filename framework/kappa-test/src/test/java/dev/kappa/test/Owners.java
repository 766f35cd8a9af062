package dev.kappa.test;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;
import dev.kappa.test.Account.AccountClosed;
import dev.kappa.test.Account.AccountOpened;

/** A sample in-memory projection: the owner of each open account. */
@Projection(value = "owners", inMemory = true)
class Owners {

    private final Map<String, String> owners = new ConcurrentHashMap<>();

    Optional<String> owner(String accountId) {
        return Optional.ofNullable(owners.get(accountId));
    }

    int count() {
        return owners.size();
    }

    @EventHandler
    void on(AccountOpened event) {
        owners.put(event.accountId(), event.owner());
    }

    @EventHandler
    void on(AccountClosed event) {
        owners.remove(event.accountId());
    }

    @ResetHandler
    void reset() {
        owners.clear();
    }
}
