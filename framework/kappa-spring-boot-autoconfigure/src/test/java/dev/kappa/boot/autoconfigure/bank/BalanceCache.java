package dev.kappa.boot.autoconfigure.bank;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;

import dev.kappa.boot.autoconfigure.bank.Account.AccountOpened;
import dev.kappa.boot.autoconfigure.bank.Account.MoneyDeposited;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;

/** An in-memory read model in a Caffeine cache, rebuilt from the log at every start. */
@Component
@Projection(value = "balance-cache", inMemory = true)
class BalanceCache {

    private final Cache<String, Long> balances = Caffeine.newBuilder().build();

    @EventHandler
    void on(AccountOpened event) {
        balances.put(event.accountId(), 0L);
    }

    @EventHandler
    void on(MoneyDeposited event) {
        balances.asMap().merge(event.accountId(), event.amount(), Long::sum);
    }

    @ResetHandler
    void reset() {
        balances.invalidateAll();
    }

    Long balance(String accountId) {
        return balances.getIfPresent(accountId);
    }
}
