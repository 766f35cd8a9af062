package dev.kappa.boot.autoconfigure.gettingstarted;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.kappa.boot.web.IdempotencyKey;
import dev.kappa.boot.web.ReadYourWrites;
import dev.kappa.framework.CommandGateway;

@RestController
class Accounts {
    private final CommandGateway commands;
    private final JdbcTemplate jdbc;

    Accounts(CommandGateway commands, JdbcTemplate jdbc) {
        this.commands = commands;
        this.jdbc = jdbc;
    }

    @PostMapping("/accounts")
    long open(@RequestBody OpenAccount command, IdempotencyKey key) {
        return commands.sendAndWait(key.message(command)).lastOffset();     // the offset of the new event
    }

    @PostMapping("/accounts/{id}/deposits")
    long deposit(@PathVariable String id, @RequestParam long amount, IdempotencyKey key) {
        return commands.sendAndWait(key.message(new Deposit(id, amount))).lastOffset();
    }

    @GetMapping("/accounts/{id}")
    @ReadYourWrites("balances")                  // with ?offset=N, answers once the read model has event N
    Map<String, Object> get(@PathVariable String id) {
        return jdbc.queryForList("SELECT * FROM balances WHERE account_id = ?", id).stream().findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no account '" + id + "'"));
    }
}
