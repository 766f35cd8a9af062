package dev.kappa.bank;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import dev.kappa.bank.BankClient.Answer;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document at {@code /v3/api-docs} describes the API as it answers: a title and a description, every
 * operation's success and error answers (problems, a 503 with Retry-After), and the fields a body must have.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();

    @LocalServerPort
    int port;

    private BankClient bank;
    private JsonNode document;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @BeforeEach
    void fetch() {
        bank = new BankClient(port);
        Answer answer = bank.get("/v3/api-docs");
        assertThat(answer.status()).isEqualTo(200);
        document = answer.body();
    }

    @Test
    void theDocumentHasATitleAVersionAndADescription() {
        assertThat(document.at("/info/title").asString()).isEqualTo("Kappa example bank");
        assertThat(document.at("/info/version").asString()).isNotBlank();
        assertThat(document.at("/info/description").asString()).contains("Idempotency-Key", "Kappa-Offset",
                "RFC 9457");
    }

    @Test
    void openingAnAccountIsDocumentedAsA201WithItsErrors() {
        JsonNode responses = operation("openAccount").get("responses");

        assertThat(responses.propertyNames()).containsExactlyInAnyOrder("201", "400", "409", "503");
        assertThat(responses.at("/201/content/application~1json/schema/$ref").asString())
                .endsWith("/AccountWritten");
        assertThat(responses.at("/201/headers").propertyNames()).contains("Location", "Kappa-Offset");
    }

    @Test
    void aTransferIsDocumentedAsAcceptedWithA202AndItsRuleViolationsAsA422() {
        JsonNode responses = operation("requestTransfer").get("responses");

        assertThat(responses.propertyNames()).contains("202", "422").doesNotContain("200");
    }

    @Test
    void everyOperationHasASummaryAnInvalidRequestAndA503ProblemWithRetryAfter() {
        List<JsonNode> operations = operations();
        assertThat(operations).hasSize(14);
        for (JsonNode operation : operations) {
            String id = operation.get("operationId").asString();
            assertThat(operation.get("summary")).as("the summary of %s", id).isNotNull();
            JsonNode unavailable = operation.at("/responses/503");
            assertThat(unavailable.at("/headers/Retry-After").isMissingNode()).as("Retry-After of %s", id).isFalse();
            for (String status : List.of("400", "503")) {
                assertThat(operation.at("/responses/" + status + "/content/application~1problem+json/schema/$ref")
                        .asString()).as("the %s of %s", status, id).endsWith("/Problem");
            }
        }
        assertThat(schema("Problem").get("required").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("type", "title", "status");
    }

    @Test
    void theFieldsARequestMustHaveAreMarkedRequired() {
        assertThat(required("OpenAccountRequest")).containsExactlyInAnyOrder("owner", "currency");
        assertThat(required("MoneyRequest")).containsExactlyInAnyOrder("amount", "currency");
        assertThat(required("TransferRequest")).containsExactlyInAnyOrder("from", "to", "amount", "currency");
        assertThat(required("ProfileRequest")).containsExactlyInAnyOrder("name", "email");
        assertThat(required("AccountWritten")).containsExactlyInAnyOrder("accountId", "version", "offset",
                "repeated");
        assertThat(schema("MoneyRequest").at("/properties/amount/description").asString()).contains("cents");
    }

    @Test
    void theApiAnswersWithTheStatusesItsDocumentNames() {
        assertAnswers("openAccount", 201, bank.post("/accounts",
                Map.of("accountId", "doc-ann", "owner", "Ann", "currency", "EUR")));
        assertAnswers("openAccount", 400, bank.post("/accounts", Map.of("owner", "Ann")));
        assertAnswers("openAccount", 409, bank.post("/accounts",
                Map.of("accountId", "doc-ann", "owner", "Ann", "currency", "EUR")));
        assertAnswers("deposit", 200, bank.post("/accounts/doc-ann/deposits",
                Map.of("amount", 100, "currency", "EUR")));
        assertAnswers("deposit", 404, bank.post("/accounts/doc-nobody/deposits",
                Map.of("amount", 100, "currency", "EUR")));
        assertAnswers("withdraw", 422, bank.post("/accounts/doc-ann/withdrawals",
                Map.of("amount", 1_000, "currency", "EUR")));
        assertAnswers("requestTransfer", 422, bank.post("/transfers",
                Map.of("from", "doc-ann", "to", "doc-ann", "amount", 1, "currency", "EUR")));
        assertAnswers("getAccount", 404, bank.get("/accounts/doc-nobody"));
        assertAnswers("listAccounts", 400, bank.get("/accounts?size=0"));
    }

    /** The answer has the status expected, and the operation's document names it. */
    private void assertAnswers(String operationId, int status, Answer answer) {
        assertThat(answer.status()).as("%s answered %s", operationId, answer.body()).isEqualTo(status);
        assertThat(operation(operationId).get("responses").propertyNames())
                .as("the documented answers of %s", operationId).contains(String.valueOf(status));
    }

    private JsonNode operation(String operationId) {
        return operations().stream().filter(operation -> operation.get("operationId").asString().equals(operationId))
                .findFirst().orElseThrow(() -> new AssertionError("no operation " + operationId));
    }

    private List<JsonNode> operations() {
        List<JsonNode> operations = new ArrayList<>();
        document.get("paths").forEach(path -> path.forEach(operations::add));
        return operations;
    }

    private JsonNode schema(String name) {
        return document.at("/components/schemas/" + name);
    }

    private List<String> required(String schema) {
        return schema(schema).get("required").valueStream().map(JsonNode::asString).toList();
    }
}
