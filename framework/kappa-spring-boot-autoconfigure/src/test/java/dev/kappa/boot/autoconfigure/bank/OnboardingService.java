package dev.kappa.boot.autoconfigure.bank;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kappa.boot.autoconfigure.bank.Account.OpenAccount;
import dev.kappa.framework.CommandGateway;

/** Writes a row of its own and sends a command in one transaction. */
@Service
class OnboardingService {

    private final JdbcTemplate jdbc;
    private final CommandGateway commands;

    OnboardingService(JdbcTemplate jdbc, CommandGateway commands) {
        this.jdbc = jdbc;
        this.commands = commands;
    }

    @Transactional
    void onboard(String accountId, String owner, boolean failAfterwards) {
        jdbc.update("INSERT INTO audit (entry) VALUES (?)", "onboarded " + accountId);
        commands.sendAndWait(new OpenAccount(accountId, owner));
        if (failAfterwards) {
            throw new IllegalStateException("the identity check failed");
        }
    }
}
