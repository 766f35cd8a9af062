package dev.kappa.bank;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kappa.bank.BankClient.Answer;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The bank end to end, over HTTP on a real port, on the embedded PostgreSQL. */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "kappa.web.read-your-writes.timeout=2s")
class BankHttpTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    EventStore store;
    @Autowired
    JdbcTemplate jdbc;

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
    void aTransferMovesMoneyAndEveryReadShowsItsOwnWrite() {
        open("ann", "Ann");
        open("ben", "Ben");
        long deposited = bank.post("/accounts/ann/deposits", Map.of("amount", 10_000, "currency", "EUR")).offset();
        assertThat(bank.get("/accounts/ann?offset=" + deposited).body().get("balance").asLong()).isEqualTo(10_000);

        Answer transfer = bank.post("/transfers",
                Map.of("from", "ann", "to", "ben", "amount", 2_500, "currency", "EUR"), "pay-ben-1");

        assertThat(transfer.status()).isEqualTo(202);
        String transferId = transfer.body().get("transferId").asString();
        assertThat(transfer.header("Location")).isEqualTo("/transfers/" + transferId);
        await().atMost(PATIENCE).until(() -> "COMPLETED".equals(
                bank.get("/transfers/" + transferId).body().get("status").asString()));
        assertThat(bank.get("/accounts/ann").body().get("balance").asLong()).isEqualTo(7_500);
        assertThat(bank.get("/accounts/ben").body().get("balance").asLong()).isEqualTo(2_500);
        Answer history = bank.get("/accounts/ann/transactions?size=10");
        assertThat(history.body().get("content")).extracting(node -> node.get("kind").asString())
                .containsExactly("TRANSFER_OUT", "DEPOSIT");
    }

    @Test
    void aTransferToAFrozenAccountIsRefunded() {
        open("cat", "Cat");
        open("dan", "Dan");
        bank.post("/accounts/cat/deposits", Map.of("amount", 300, "currency", "EUR"));
        bank.post("/accounts/dan/freeze", Map.of());

        String transferId = bank.post("/transfers", Map.of("from", "cat", "to", "dan", "amount", 100,
                "currency", "EUR")).body().get("transferId").asString();

        await().atMost(PATIENCE).until(() -> "REVERSED".equals(
                bank.get("/transfers/" + transferId).body().get("status").asString()));
        assertThat(bank.get("/transfers/" + transferId).body().get("reason").asString()).contains("'dan' is frozen");
        Answer cat = bank.get("/accounts/cat?offset=" + store.head());
        assertThat(cat.body().get("balance").asLong()).isEqualTo(300);
        assertThat(bank.get("/accounts/dan").body().get("balance").asLong()).isZero();
        assertThat(bank.get("/accounts/cat/transactions?offset=" + store.head()).body().get("content"))
                .extracting(node -> node.get("kind").asString()).containsExactly("REFUND", "TRANSFER_OUT", "DEPOSIT");
    }

    @Test
    void aHundredConcurrentTransfersKeepTheTotalAndNoBalanceGoesNegative() throws Exception {
        int accounts = 10;
        for (int i = 0; i < accounts; i++) {
            open("pool-" + i, "Owner " + i);
            bank.post("/accounts/pool-" + i + "/deposits", Map.of("amount", 1_000, "currency", "EUR"));
        }
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<String>> transfers = new ArrayList<>();
        for (int t = 0; t < 100; t++) {
            transfers.add(clients.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int from = random.nextInt(accounts);
                int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
                Answer accepted = bank.post("/transfers", Map.of("from", "pool-" + from, "to", "pool-" + to,
                        "amount", 1 + random.nextInt(400), "currency", "EUR"));
                assertThat(accepted.status()).isEqualTo(202);
                return accepted.body().get("transferId").asString();
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> transfer : transfers) {
            ids.add(transfer.get(1, TimeUnit.MINUTES));
        }
        clients.shutdown();

        // every transfer ends: completed, or failed for want of funds
        await().atMost(Duration.ofMinutes(2)).until(() -> ids.stream().allMatch(id -> {
            String status = bank.get("/transfers/" + id).body().get("status").asString();
            return status.equals("COMPLETED") || status.equals("FAILED");
        }));
        long total = 0;
        for (int i = 0; i < accounts; i++) {
            long balance = bank.get("/accounts/pool-" + i + "?offset=" + store.head()).body().get("balance").asLong();
            assertThat(balance).as("balance of pool-%d", i).isNotNegative();
            total += balance;
        }
        assertThat(total).isEqualTo(accounts * 1_000L);
        assertThat(jdbc.queryForObject("SELECT sum(balance) FROM account_summary WHERE account_id LIKE 'pool-%'",
                Long.class)).isEqualTo(accounts * 1_000L);
    }

    @Test
    void theSameWriteTwiceWithOneIdempotencyKeyAppliesOnce() {
        open("eve", "Eve");

        Answer first = bank.post("/accounts/eve/deposits", Map.of("amount", 70, "currency", "EUR"), "deposit-77");
        Answer retry = bank.post("/accounts/eve/deposits", Map.of("amount", 70, "currency", "EUR"), "deposit-77");

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.offset()).isEqualTo(first.offset());
        assertThat(retry.body().get("repeated").asBoolean()).isTrue();
        assertThat(bank.get("/accounts/eve?offset=" + first.offset()).body().get("balance").asLong()).isEqualTo(70);
        assertThat(store.readStream("account-eve", 1)).hasSize(2);
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherRequestIsRefusedAndChangesNothing() {
        open("gil", "Gil");
        open("hal", "Hal");
        Answer deposited = bank.post("/accounts/gil/deposits", Map.of("amount", 70, "currency", "EUR"), "gil-1");
        Answer transfer = bank.post("/transfers", Map.of("from", "gil", "to", "hal", "amount", 20, "currency", "EUR"),
                "gil-pays-hal");
        Answer profile = bank.send("PUT", "/customers/c-gil", "application/json",
                "{\"name\": \"Gil\", \"email\": \"gil@example.com\"}", Map.of("Idempotency-Key", "gil-profile"));

        Answer otherDeposit = bank.post("/accounts/gil/deposits", Map.of("amount", 80, "currency", "EUR"), "gil-1");
        Answer otherTransfer = bank.post("/transfers",
                Map.of("from", "gil", "to", "hal", "amount", 30, "currency", "EUR"), "gil-pays-hal");
        Answer otherProfile = bank.send("PUT", "/customers/c-gil", "application/json",
                "{\"name\": \"Gil G.\", \"email\": \"gil@example.com\"}", Map.of("Idempotency-Key", "gil-profile"));
        Answer sameDeposit = bank.post("/accounts/gil/deposits", Map.of("currency", "EUR", "amount", 70), "gil-1");

        for (Answer refused : List.of(otherDeposit, otherTransfer, otherProfile)) {
            assertThat(refused.status()).as("%s", refused.body()).isEqualTo(422);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.body().get("type").asString()).endsWith("/idempotency-key-reused");
        }
        assertThat(sameDeposit.status()).as("the same request again, its fields in another order").isEqualTo(200);
        assertThat(sameDeposit.body().get("repeated").asBoolean()).isTrue();
        assertThat(sameDeposit.offset()).isEqualTo(deposited.offset());
        String transferId = transfer.body().get("transferId").asString();
        await().atMost(PATIENCE).until(() -> "COMPLETED".equals(
                bank.get("/transfers/" + transferId + "?offset=" + transfer.offset()).body().get("status").asString()));
        assertThat(bank.get("/accounts/gil?offset=" + store.head()).body().get("balance").asLong()).isEqualTo(50);
        assertThat(bank.get("/customers/c-gil?offset=" + profile.offset()).body().get("name").asString())
                .isEqualTo("Gil");
    }

    @Test
    void errorsAreProblemDetailsThatSayWhatWasWrong() {
        open("fay", "Fay");

        Answer unknown = bank.post("/accounts/nobody/deposits", Map.of("amount", 1, "currency", "EUR"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknown.body().get("detail").asString()).contains("'nobody' does not exist");

        Answer broke = bank.post("/accounts/fay/withdrawals", Map.of("amount", 5, "currency", "EUR"));
        assertThat(broke.status()).isEqualTo(422);
        assertThat(broke.body().get("type").asString()).endsWith("/insufficient-funds");
        assertThat(broke.body().get("accountId").asString()).isEqualTo("fay");

        Answer invalid = bank.post("/accounts/fay/deposits", Map.of("amount", -5, "currency", "euro"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body().get("detail").asString()).contains("amount: must be greater than 0")
                .contains("currency: must be an ISO 4217 code");

        Answer garbled = bank.postRaw("/accounts", "{\"owner\":");
        assertThat(garbled.status()).isEqualTo(400);

        bank.post("/accounts/fay/freeze", Map.of());
        Answer frozen = bank.post("/accounts/fay/deposits", Map.of("amount", 5, "currency", "EUR"));
        assertThat(frozen.status()).isEqualTo(409);
        assertThat(frozen.body().get("type").asString()).endsWith("/account-frozen");

        Answer exists = bank.post("/accounts", Map.of("accountId", "fay", "owner", "Fay", "currency", "EUR"));
        assertThat(exists.status()).isEqualTo(409);

        Answer missing = bank.get("/accounts/nobody");
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void aReadThatCannotCatchUpAnswers503WithRetryAfter() {
        Answer behind = bank.get("/accounts/anyone?offset=" + (store.head() + 1_000_000));

        assertThat(behind.status()).isEqualTo(503);
        assertThat(behind.header("Retry-After")).isEqualTo("1");
        assertThat(behind.body().get("type").asString()).endsWith("/read-model-behind");
    }

    @Test
    void customerProfilesKeepOnlyTheLatestPerCustomerAfterCompaction() {
        bank.put("/customers/c-1", Map.of("name", "Gus", "email", "gus@example.com"));
        bank.put("/customers/c-1", Map.of("name", "Gus G.", "email", "gus@example.com"));
        long latest = bank.put("/customers/c-1", Map.of("name", "Gus Grant", "email", "gus@example.org")).offset();

        assertThat(bank.get("/customers/c-1?offset=" + latest).body().get("name").asString()).isEqualTo("Gus Grant");

        store.compactor().compact();
        List<LogRecord> left = store.readStream("customer-c-1", 1);
        assertThat(left).hasSize(1);
        assertThat(left.get(0).offset()).isEqualTo(latest);
    }

    @Test
    void theApiIsDescribedByOpenApi() {
        Answer api = bank.get("/v3/api-docs");

        assertThat(api.status()).isEqualTo(200);
        assertThat(api.body().get("paths").propertyNames()).contains("/accounts", "/accounts/{accountId}/deposits",
                "/transfers", "/transfers/{transferId}", "/customers/{customerId}");
    }

    private void open(String accountId, String owner) {
        Answer opened = bank.post("/accounts", Map.of("accountId", accountId, "owner", owner, "currency", "EUR"));
        assertThat(opened.status()).as("opening %s: %s", accountId, opened.body()).isEqualTo(201);
    }
}
