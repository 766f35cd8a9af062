package dev.kappa.bank;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import dev.kappa.bank.BankClient.Answer;
import dev.kappa.bank.account.AccountEvents.MoneyDeposited;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A balance that would overflow is refused as a rule violation; and should an event a projection cannot apply reach
 * the log all the same, an operator skips it over the actuator and the bank is healthy again.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kappa.web.read-your-writes.timeout=2s",
        "spring.security.user.name=operator",
        "spring.security.user.password=" + BankClient.OPERATOR_PASSWORD,
        "spring.security.user.roles=OPERATOR"})
class PoisonEventTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    EventStore store;

    private BankClient bank;
    private BankClient operator;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @BeforeEach
    void client() {
        bank = new BankClient(port);
        operator = bank.asOperator();
    }

    @Test
    void aDepositThatWouldOverflowTheBalanceIsRefusedAndLeavesTheBalanceAsItWas() {
        open("max");
        long deposited = bank.post("/accounts/max/deposits", Map.of("amount", 1, "currency", "EUR")).offset();

        Answer overflow = bank.post("/accounts/max/deposits", Map.of("amount", Long.MAX_VALUE, "currency", "EUR"));

        assertThat(overflow.status()).isEqualTo(422);
        assertThat(overflow.header("Content-Type")).startsWith("application/problem+json");
        assertThat(overflow.body().get("type").asString()).endsWith("/balance-limit");
        assertThat(overflow.body().get("accountId").asString()).isEqualTo("max");
        assertThat(overflow.body().get("detail").asString()).isEqualTo("account 'max' holds 1: adding "
                + Long.MAX_VALUE + " would take it past " + Long.MAX_VALUE + ", the most an account can hold");
        assertThat(bank.get("/accounts/max?offset=" + deposited).body().get("balance").asLong()).isEqualTo(1);
        assertThat(store.streamVersion("account-max")).isEqualTo(2);
    }

    @Test
    void aPoisonEventSkippedOverTheActuatorLetsTheBankRecover() {
        // given an event in the log that account-summary cannot apply: its balance column overflows
        open("victim");
        bank.post("/accounts/victim/deposits", Map.of("amount", 1, "currency", "EUR"));
        long poison = store.append("account-victim", ExpectedVersion.any(),
                List.of(NewEvent.of(new MoneyDeposited("victim", Long.MAX_VALUE)))).toOffset();
        open("bystander");
        long after = store.head();
        await().atMost(PATIENCE).until(() -> failedAt("account-summary") == poison);
        await().atMost(PATIENCE).until(() -> failedAt("account-cache") == poison);

        // the bank is wedged: health is down and reads of the summary at an offset answer 503
        assertThat(operator.get("/actuator/health").status()).isEqualTo(503);
        assertThat(bank.get("/accounts?offset=" + after).status()).isEqualTo(503);

        // when the operator skips the poison event in both projections that sum balances
        Answer skipped = operator.postRaw("/actuator/kappa/account-summary/skip?offset=" + poison
                + "&note=deposit%20that%20overflowed%20before%20the%20balance%20limit", "{}");
        Answer skippedInCache = operator.postRaw("/actuator/kappa/account-cache/skip?offset=" + poison, "{}");

        // then the projections move on, health is up, and reads at an offset answer
        assertThat(skipped.status()).as(skipped.text()).isEqualTo(200);
        assertThat(skippedInCache.status()).as(skippedInCache.text()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> operator.get("/actuator/health").status() == 200);
        Answer accounts = bank.get("/accounts?offset=" + after);
        assertThat(accounts.status()).isEqualTo(200);
        assertThat(accounts.body().get("content")).extracting(node -> node.get("accountId").asString())
                .contains("victim", "bystander");
        // and the skipped event is kept, with the decision, as a dead letter
        Answer letters = operator.get("/actuator/kappa/account-summary/dead-letters");
        assertThat(letters.status()).isEqualTo(200);
        JsonNode letter = letters.body().get(0);
        assertThat(letter.get("offset").asLong()).isEqualTo(poison);
        assertThat(letter.get("payload").get("amount").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(letter.get("message").asString()).contains("bigint out of range");
        assertThat(letter.get("state").asString()).isEqualTo("SKIPPED");
        assertThat(letter.get("decision").get("by").asString()).isEqualTo("operator");
        assertThat(letter.get("decision").get("note").asString())
                .isEqualTo("deposit that overflowed before the balance limit");
    }

    @Test
    void anOverflowingEventAlreadyInTheLogStopsTheProjectionsAtItAndTheAccountRefusesCommands() {
        // given an overflowing deposit written straight to the log, as before the balance limit or by another writer
        open("px");
        bank.post("/accounts/px/deposits", Map.of("amount", 1, "currency", "EUR"));
        long poison = store.append("account-px", ExpectedVersion.any(),
                List.of(NewEvent.of(new MoneyDeposited("px", Long.MAX_VALUE)))).toOffset();

        // then both projections that sum balances stop at that event, naming it, instead of wrapping the balance
        await().atMost(PATIENCE).until(() -> failedAt("account-cache") == poison);
        await().atMost(PATIENCE).until(() -> failedAt("account-summary") == poison);
        JsonNode failure = failure("account-cache");
        assertThat(failure.get("errorType").asString()).isEqualTo("dev.kappa.bank.account.BalanceOverflow");
        assertThat(failure.get("message").asString()).contains("account 'px' holds 1", "version 3",
                "offset " + poison, "skip?offset=" + poison);
        assertThat(bank.get("/accounts/px").body().get("balance").asLong()).isEqualTo(1);

        // and the account refuses commands, saying why, rather than deciding on a wrapped balance
        Answer deposit = bank.post("/accounts/px/deposits", Map.of("amount", 1, "currency", "EUR"));
        assertThat(deposit.status()).isEqualTo(500);
        assertThat(deposit.header("Content-Type")).startsWith("application/problem+json");
        assertThat(deposit.body().get("type").asString()).endsWith("/balance-overflow");
        assertThat(deposit.body().get("accountId").asString()).isEqualTo("px");
        assertThat(deposit.body().get("detail").asString()).contains("account 'px' holds 1",
                "the MoneyDeposited at version 3 adds " + Long.MAX_VALUE, "takes no commands");
        assertThat(bank.post("/accounts/px/withdrawals", Map.of("amount", 1, "currency", "EUR")).status())
                .isEqualTo(500);
        assertThat(store.streamVersion("account-px")).isEqualTo(3);

        // when the operator skips the event in both projections, the bank is healthy again; the account still refuses
        assertThat(operator.postRaw("/actuator/kappa/account-cache/skip?offset=" + poison, "{}").status())
                .isEqualTo(200);
        assertThat(operator.postRaw("/actuator/kappa/account-summary/skip?offset=" + poison, "{}").status())
                .isEqualTo(200);
        await().atMost(PATIENCE).until(() -> operator.get("/actuator/health").status() == 200);
        assertThat(bank.get("/accounts/px").body().get("balance").asLong()).isEqualTo(1);
        assertThat(bank.post("/accounts/px/deposits", Map.of("amount", 1, "currency", "EUR")).status())
                .isEqualTo(500);

        // and transfers that reach the account fail or are reversed, while every other transfer goes on
        open("payer");
        bank.post("/accounts/payer/deposits", Map.of("amount", 10, "currency", "EUR"));
        assertThat(transferEnds("payer", "px")).isEqualTo("REVERSED");
        assertThat(transferEnds("px", "payer")).isEqualTo("FAILED");
        open("payee");
        assertThat(transferEnds("payer", "payee")).isEqualTo("COMPLETED");
    }

    /** The status a transfer comes to rest in. */
    private String transferEnds(String from, String to) {
        String transferId = bank.post("/transfers", Map.of("from", from, "to", to, "amount", 5, "currency", "EUR"))
                .body().get("transferId").asString();
        List<String> ends = List.of("COMPLETED", "FAILED", "REVERSED");
        await().atMost(PATIENCE).until(() -> ends.contains(status(transferId)));
        return status(transferId);
    }

    private String status(String transferId) {
        JsonNode transfer = bank.get("/transfers/" + transferId).body();
        return transfer.has("status") ? transfer.get("status").asString() : "";
    }

    /** The offset the projection is stopped at, or -1 while it is not stopped. */
    private long failedAt(String projection) {
        JsonNode failure = failure(projection);
        return failure == null ? -1 : failure.get("offset").asLong();
    }

    private JsonNode failure(String projection) {
        JsonNode status = operator.get("/actuator/kappa/" + projection).body();
        if (!"FAILED".equals(status.get("state").asString())) {
            return null;
        }
        for (JsonNode segment : status.get("current").get("segments")) {
            JsonNode failure = segment.get("failure");
            if (failure != null && !failure.isNull()) {
                return failure;
            }
        }
        return null;
    }

    private void open(String accountId) {
        Answer opened = bank.post("/accounts", Map.of("accountId", accountId, "owner", "Owner of " + accountId,
                "currency", "EUR"));
        assertThat(opened.status()).as("opening %s: %s", accountId, opened.body()).isEqualTo(201);
    }
}
