package dev.kappa.activity;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.kappa.boot.web.ReadYourWrites;

/**
 * {@code GET /accounts/{id}/activity}. With the bank's answer's {@code offset} as {@code ?offset=} (or the
 * {@code Kappa-Offset} header), it answers once the activity includes that write of the bank's, across Kafka.
 */
@RestController
class AccountActivityController {

    private static final String BY_ACCOUNT = """
            SELECT account_id, owner, deposits, withdrawals, transfers_out, transfers_in, opened_at,
                   last_activity_at, last_offset
            FROM account_activity WHERE account_id = ?
            """;

    private final JdbcTemplate jdbc;

    AccountActivityController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/accounts/{accountId}/activity")
    @ReadYourWrites(AccountActivityProjection.NAME)
    AccountActivity activity(@PathVariable String accountId) {
        List<AccountActivity> found = jdbc.query(BY_ACCOUNT, (row, number) -> new AccountActivity(
                row.getString("account_id"), row.getString("owner"), row.getLong("deposits"),
                row.getLong("withdrawals"), row.getLong("transfers_out"), row.getLong("transfers_in"),
                row.getTimestamp("opened_at") == null ? null : row.getTimestamp("opened_at").toInstant(),
                row.getTimestamp("last_activity_at").toInstant(), row.getLong("last_offset")), accountId);
        if (found.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no activity of account '" + accountId
                    + "' has been read from the bank's log");
        }
        return found.get(0);
    }
}
