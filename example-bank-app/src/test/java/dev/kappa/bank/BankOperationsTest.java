package dev.kappa.bank;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import dev.kappa.bank.BankClient.Answer;
import dev.kappa.eventstore.EventStore;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.CheckpointWaits;
import dev.kappa.projections.GenerationStatus;
import dev.kappa.projections.ProjectionMonitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bank operated as docs/operations.md says, through the actuator endpoint: each projection allows the operations
 * its table lists, a reset to an offset is refused by the read models that cannot go back to one and keeps the earlier
 * rows of the one that can, and {@code account-summary} is rebuilt blue-green while readers keep reading. Actuator writes are sent as the operator (the credentials are set
 * here, so that the tests hold whether or not the application secures its actuator).
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.user.name=operator",
        "spring.security.user.password=" + BankClient.OPERATOR_PASSWORD,
        "spring.security.user.roles=OPERATOR"})
class BankOperationsTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    EventStore store;
    @Autowired
    ProjectionMonitor projections;
    @Autowired
    CheckpointWaits checkpoints;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;

    private BankClient bank;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @BeforeEach
    void client() {
        bank = new BankClient(port);
    }

    @Test
    void thePoolHasTheConnectionsOperationsMdAsksForAndRoomForRequests() {
        // docs/operations.md: one for the log's writer, one for its listener, one for the projections' listener and
        // about two per projection segment, plus the application's own requests
        int segments = projections.status().stream().mapToInt(status -> status.current()
                .map(generation -> generation.segments().size()).orElse(1)).sum();
        int forKappa = 3 + 2 * segments;

        assertThat(((HikariDataSource) dataSource).getMaximumPoolSize()).as("the pool, for %s segments", segments)
                .isGreaterThanOrEqualTo(forKappa + 5);
    }

    @Test
    void eachProjectionAllowsWhatOperationsMdSaysAndARefusalIsAProblemThatChangesNothing() throws Exception {
        // given accounts with money, a transfer between them and a customer profile
        open("ida", "Ida");
        long middle = bank.post("/accounts/ida/deposits", Map.of("amount", 900, "currency", "EUR")).offset();
        open("jon", "Jon");
        transfer("ida", "jon", 400);
        bank.put("/customers/c-ida", Map.of("name", "Ida", "email", "ida@example.com"));
        long head = awaitEverything();
        Map<String, List<Map<String, Object>>> readModels = readModels();

        // when an operator tries each operation on each projection, then each answers as docs/operations.md's table
        // says: allowed (reset to 0, reset to an offset, rebuild)
        Map<String, List<Boolean>> allowed = new LinkedHashMap<>();
        allowed.put("account-summary", List.of(true, false, true));
        allowed.put("account-transactions", List.of(true, true, false));
        allowed.put("transfers", List.of(true, false, false));
        allowed.put("customer-profiles", List.of(true, false, false));
        allowed.put("account-cache", List.of(true, false, false));
        allowed.put("transfer-process", List.of(false, false, false));
        allowed.forEach((projection, answers) -> {
            List<String> operations = List.of("reset", "reset?offset=" + middle, "rebuild");
            for (int i = 0; i < operations.size(); i++) {
                Answer answer = operator("/actuator/kappa/" + projection + "/" + operations.get(i));
                assertThat(answer.status()).as("%s %s: %s", projection, operations.get(i), answer.text())
                        .isEqualTo(answers.get(i) ? 200 : 400);
                if (!answers.get(i)) {
                    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
                }
            }
        });

        // and a refused reset to an offset says what to do instead
        Answer refused = operator("/actuator/kappa/account-summary/reset?offset=" + middle);
        assertThat(refused.body().get("detail").asString())
                .startsWith("projection 'account-summary' cannot be reset to offset " + middle + ": a reset truncates"
                        + " its tables, so a replay from offset " + middle + " would leave out every event up to it."
                        + " Reset it to 0, or rebuild it blue-green, or declare an offset-aware reset handler:");

        // and once they have caught up again, every read model is what it was
        await().atMost(PATIENCE).until(() -> projections.status("account-summary").rebuild().isEmpty());
        awaitEverything();
        assertThat(readModels()).isEqualTo(readModels);
        assertThat(projections.status("account-summary").checkpoint()).isEqualTo(head);
        long deposited = bank.post("/accounts/jon/deposits", Map.of("amount", 5, "currency", "EUR")).offset();
        assertThat(balanceInList("jon", deposited)).isEqualTo(405);
        assertThat(bank.get("/accounts/ida?offset=" + deposited).body().get("balance").asLong()).isEqualTo(500);
    }

    @Test
    void aResetToAnOffsetOfAccountTransactionsKeepsTheEarlierRowsAndEqualsAFullReplay() throws Exception {
        // given movements of money before and after an offset
        open("kim", "Kim");
        open("lou", "Lou");
        bank.post("/accounts/kim/deposits", Map.of("amount", 1_000, "currency", "EUR"));
        long middle = bank.post("/accounts/lou/deposits", Map.of("amount", 300, "currency", "EUR")).offset();
        bank.post("/accounts/kim/withdrawals", Map.of("amount", 100, "currency", "EUR"));
        transfer("kim", "lou", 250);
        long head = awaitEverything();
        List<Map<String, Object>> before = rows("SELECT * FROM account_transactions ORDER BY log_offset");
        Map<Long, String> versions = rowVersions();
        assertThat(before).extracting(row -> (Long) row.get("log_offset"))
                .anyMatch(offset -> offset <= middle).anyMatch(offset -> offset > middle);

        // when an operator resets account-transactions to that offset
        Answer reset = operator("/actuator/kappa/account-transactions/reset?offset=" + middle);
        assertThat(reset.status()).as(reset.text()).isEqualTo(200);
        assertThat(checkpoints.awaitCheckpoint("account-transactions", head, PATIENCE).reached()).isTrue();

        // then the rows up to it were left alone, the later ones written again, and the read model is the same
        Map<Long, String> after = rowVersions();
        versions.forEach((offset, version) -> {
            if (offset <= middle) {
                assertThat(after.get(offset)).as("row of offset %d, kept", offset).isEqualTo(version);
            } else {
                assertThat(after.get(offset)).as("row of offset %d, replayed", offset).isNotEqualTo(version);
            }
        });
        assertThat(rows("SELECT * FROM account_transactions ORDER BY log_offset")).isEqualTo(before);

        // and it equals a full replay
        assertThat(operator("/actuator/kappa/account-transactions/reset").status()).isEqualTo(200);
        assertThat(checkpoints.awaitCheckpoint("account-transactions", head, PATIENCE).reached()).isTrue();
        assertThat(rows("SELECT * FROM account_transactions ORDER BY log_offset")).isEqualTo(before);
        Answer history = bank.get("/accounts/kim/transactions?offset=" + head);
        assertThat(history.body().get("content")).extracting(node -> node.get("kind").asString())
                .containsExactly("TRANSFER_OUT", "WITHDRAWAL", "DEPOSIT");
    }

    @Test
    void accountSummaryIsRebuiltBlueGreenFromTheActuatorWhileReadersKeepTheOldOne() throws Exception {
        // given accounts in the summary readers use
        open("max", "Max");
        open("nia", "Nia");
        bank.post("/accounts/max/deposits", Map.of("amount", 120, "currency", "EUR"));
        transfer("max", "nia", 20);
        long head = awaitEverything();
        List<Map<String, Object>> summaries = rows("SELECT * FROM account_summary ORDER BY account_id");
        int serving = projections.status("account-summary").current().map(GenerationStatus::generation).orElseThrow();

        // when an operator rebuilds it
        Answer rebuild = operator("/actuator/kappa/account-summary/rebuild");

        // then a new generation is built beside the one readers use, and readers are switched to it
        assertThat(rebuild.status()).as(rebuild.text()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> projections.status("account-summary").current()
                .map(GenerationStatus::generation).orElse(serving) > serving
                && projections.status("account-summary").rebuild().isEmpty());
        int rebuilt = projections.status("account-summary").current().orElseThrow().generation();
        assertThat(jdbc.queryForObject("SELECT definition FROM pg_views WHERE viewname = 'account_summary'",
                String.class)).contains("account_summary_g" + rebuilt);
        await().atMost(PATIENCE).until(() -> jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class,
                "account_summary_g" + serving));

        // and it holds what the old one held, and follows the log from there
        assertThat(rows("SELECT * FROM account_summary ORDER BY account_id")).isEqualTo(summaries);
        assertThat(projections.status("account-summary").checkpoint()).isGreaterThanOrEqualTo(head);
        long deposited = bank.post("/accounts/nia/deposits", Map.of("amount", 3, "currency", "EUR")).offset();
        assertThat(balanceInList("nia", deposited)).isEqualTo(23);
    }

    private void open(String accountId, String owner) {
        Answer opened = bank.post("/accounts", Map.of("accountId", accountId, "owner", owner, "currency", "EUR"));
        assertThat(opened.status()).as("opening %s: %s", accountId, opened.body()).isEqualTo(201);
    }

    private void transfer(String from, String to, long amount) {
        String transferId = bank.post("/transfers", Map.of("from", from, "to", to, "amount", amount,
                "currency", "EUR")).body().get("transferId").asString();
        await().atMost(PATIENCE).until(() -> "COMPLETED".equals(
                bank.get("/transfers/" + transferId).body().get("status").asString()));
    }

    /** Waits until every database read model has applied the log's head, and returns it. */
    private long awaitEverything() throws InterruptedException {
        long head = store.head();
        for (String projection : List.of("account-summary", "account-transactions", "transfers",
                "customer-profiles")) {
            assertThat(checkpoints.awaitCheckpoint(projection, head, PATIENCE).reached()).as(projection).isTrue();
        }
        return head;
    }

    /** An account's balance as {@code GET /accounts} lists it, once the list includes {@code offset}. */
    private long balanceInList(String accountId, long offset) {
        JsonNode accounts = bank.get("/accounts?size=200&offset=" + offset).body().get("content");
        for (JsonNode account : accounts) {
            if (account.get("accountId").asString().equals(accountId)) {
                return account.get("balance").asLong();
            }
        }
        throw new AssertionError("account '" + accountId + "' is not listed: " + accounts);
    }

    /** The database read models' rows. */
    private Map<String, List<Map<String, Object>>> readModels() {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        tables.put("account_summary", rows("SELECT * FROM account_summary ORDER BY account_id"));
        tables.put("account_transactions", rows("SELECT * FROM account_transactions ORDER BY log_offset"));
        tables.put("transfers", rows("SELECT * FROM transfers ORDER BY transfer_id"));
        tables.put("customer_profile", rows("SELECT * FROM customer_profile ORDER BY customer_id"));
        return tables;
    }

    private List<Map<String, Object>> rows(String sql) {
        return jdbc.queryForList(sql);
    }

    /** Each account_transactions row's version (its xmin): a row written again gets a new one. */
    private Map<Long, String> rowVersions() {
        Map<Long, String> versions = new java.util.TreeMap<>();
        jdbc.query("SELECT log_offset, xmin::text FROM account_transactions", rs -> {
            versions.put(rs.getLong(1), rs.getString(2));
        });
        return versions;
    }

    /** A POST to an actuator write operation, as the operator. */
    private Answer operator(String path) {
        return bank.asOperator().postRaw(path, "{}");
    }
}
