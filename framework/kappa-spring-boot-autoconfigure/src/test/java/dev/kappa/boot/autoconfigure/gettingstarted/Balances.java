package dev.kappa.boot.autoconfigure.gettingstarted;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;

@Component
@Projection("balances")
class Balances {
    private final JdbcTemplate jdbc;

    Balances(JdbcTemplate jdbc) { this.jdbc = jdbc; }

    @EventHandler void on(AccountOpened e) {
        jdbc.update("INSERT INTO balances VALUES (?, ?, 0)", e.accountId(), e.owner());
    }
    @EventHandler void on(MoneyDeposited e) {
        jdbc.update("UPDATE balances SET balance = balance + ? WHERE account_id = ?", e.amount(), e.accountId());
    }
    @ResetHandler void reset() { jdbc.update("DELETE FROM balances"); }
}
