package dev.kappa.boot.autoconfigure.web;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.validation.constraints.Min;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.kappa.boot.web.IdempotencyKey;
import dev.kappa.boot.web.ReadModelBehindException;
import dev.kappa.boot.web.ReadYourWrites;
import dev.kappa.eventstore.AppendOutcomeUnknownException;
import dev.kappa.eventstore.ConcurrencyException;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.IdempotencyKeyReusedException;
import dev.kappa.framework.AggregateAlreadyExistsException;
import dev.kappa.framework.AggregateNotFoundException;
import dev.kappa.framework.InvalidAggregateIdException;
import dev.kappa.framework.RuleViolationException;
import dev.kappa.projections.CheckpointWait;
import dev.kappa.projections.ProjectionRuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The web support's answers, through Spring MVC, to what a handler throws and to what a client sends. */
class WebSupportMvcTest {

    private static final String TYPES = "https://kappa.dev/problems/";

    private final ProjectionRuntime projections = mock(ProjectionRuntime.class);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KappaWebAutoConfiguration.class, WebMvcAutoConfiguration.class,
                    JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
                    ValidationAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class))
            .withBean(ProjectionRuntime.class, () -> projections)
            .withUserConfiguration(Probe.class, Totals.class);

    record Money(long cents, String currency, boolean urgent) {
    }

    static class Overdrawn extends RuleViolationException {
        Overdrawn() {
            super("account 'ann' holds 5, less than the 7 asked for");
        }

        @Override
        public String rule() {
            return "insufficient-funds";
        }

        @Override
        public Map<String, Object> details() {
            return Map.of("accountId", "ann");
        }
    }

    static class Frozen extends RuleViolationException {
        Frozen() {
            super("account 'ann' is frozen");
        }

        @Override
        public String rule() {
            return "account-frozen";
        }
    }

    static class Account {
    }

    record Deposit(String id) {
    }

    /** Throws what it is told to, takes money, reads a projection, answers its idempotency key. */
    @RestController
    static class Probe {

        @GetMapping("/throw/{what}")
        void raise(@PathVariable String what) throws SQLException {
            throw switch (what) {
                case "unknown" -> new AggregateNotFoundException(Account.class, "ann", Deposit.class);
                case "exists" -> new AggregateAlreadyExistsException(Account.class, "ann", Deposit.class);
                case "conflict" -> new ConcurrencyException("account-ann", ExpectedVersion.exactly(3), 4);
                case "rule" -> new Overdrawn();
                case "frozen" -> new Frozen();
                case "invalid-id" -> new InvalidAggregateIdException(Account.class, "a\r\nb", "has a control character");
                case "store" -> new EventStoreException("could not append to stream 'account-ann': the database is"
                        + " unavailable (HikariPool-1 - Connection is not available, request timed out after 3000ms"
                        + " (total=1, active=1, idle=0, waiting=9)); try again later");
                case "outcome" -> new AppendOutcomeUnknownException("the database connection was lost while"
                        + " committing the append to stream 'account-ann' (FATAL: terminating connection due to"
                        + " administrator command); it may or may not have been written", null);
                case "behind" -> new ReadModelBehindException("balances", 9, 4);
                case "reused" -> new IdempotencyKeyReusedException("k-1@abc");
                case "no-transaction" -> new CannotCreateTransactionException("Could not open JDBC Connection",
                        new SQLException("SELECT secret FROM t"));
                case "no-connection" -> new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                        new SQLException("SELECT secret FROM t"));
                case "resource" -> new DataAccessResourceFailureException("SELECT secret FROM t failed");
                case "transient" -> new TransientDataAccessResourceException("SELECT secret FROM t failed");
                case "recoverable" -> new RecoverableDataAccessException("SELECT secret FROM t failed");
                case "rollback-failed" -> rollbackFailedAfter(new DataAccessResourceFailureException(
                        "PreparedStatementCallback; SQL [SELECT secret FROM t]; FATAL: terminating connection due to"
                                + " administrator command", new SQLException("terminating connection", "57P01")));
                case "session-ended" -> new UncategorizedSQLException("SELECT secret FROM t", "SELECT secret FROM t",
                        new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
                case "duplicate" -> new DuplicateKeyException("SELECT secret FROM t: duplicate key");
                default -> new IllegalStateException(what);
            };
        }

        /** What a read-only transaction throws when the query and then the rollback meet a connection gone. */
        private static TransactionSystemException rollbackFailedAfter(RuntimeException queryFailure) {
            TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                    new SQLException("Connection is closed"));
            rollbackFailed.initApplicationException(queryFailure);
            return rollbackFailed;
        }

        @PostMapping("/money")
        Money take(@RequestBody Money money) {
            return money;
        }

        /** Reads its body as Spring Boot's actuator reads the arguments of a write operation. */
        @PostMapping("/arguments")
        Map<String, String> arguments(@RequestBody Map<String, String> arguments) {
            return arguments;
        }

        @GetMapping("/page")
        int page(@RequestParam @Min(1) int size) {
            return size;
        }

        @GetMapping("/balances")
        @ReadYourWrites({"balances", "totals"})
        String balances() {
            return "fresh";
        }

        @PostMapping("/keyed/{id}")
        Map<String, Object> keyed(@PathVariable String id, @RequestBody(required = false) Map<String, Object> body,
                                  IdempotencyKey key) {
            return key.isPresent() ? Map.of("value", key.value(), "scoped", key.scoped(),
                    "fingerprint", key.fingerprint(), "newId", key.newId()) : Map.of("present", false);
        }
    }

    /** Every handler of the class reads the projection. */
    @RestController
    @ReadYourWrites("totals")
    static class Totals {

        @GetMapping("/totals")
        String totals() {
            return "total";
        }

        @GetMapping("/totals/refused")
        String refused(@RequestParam String why) {
            throw new org.springframework.web.server.ResponseStatusException(
                    org.springframework.http.HttpStatus.BAD_REQUEST, "why: " + why);
        }
    }

    /** An application's own mapping of one rule, which must win over the starter's. */
    @RestControllerAdvice
    static class OwnProblems {

        @ExceptionHandler
        ProblemDetail frozen(Frozen frozen) {
            return ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatus.CONFLICT, frozen.getMessage());
        }
    }

    @Test
    void kappasExceptionsAreProblemsWithTheirStatusAndType() {
        runner.run(context -> {
            MockMvc mvc = mvc(context);
            expectProblem(mvc.perform(get("/throw/unknown")), 404, "not-found", "Account 'ann' does not exist")
                    .andExpect(jsonPath("$.aggregateId").value("ann"));
            expectProblem(mvc.perform(get("/throw/exists")), 409, "already-exists", "Account 'ann' already exists");
            expectProblem(mvc.perform(get("/throw/conflict")), 409, "concurrent-change", "stream 'account-ann'");
            expectProblem(mvc.perform(get("/throw/rule")), 422, "insufficient-funds", "holds 5")
                    .andExpect(jsonPath("$.accountId").value("ann"));
            expectProblem(mvc.perform(get("/throw/invalid-id")), 400, "invalid-request", "Account id 'a??b'");
            expectProblem(mvc.perform(get("/throw/reused")), 422, "idempotency-key-reused",
                    "the Idempotency-Key was already used for a different request");
        });
    }

    @Test
    void anUnavailableStoreIsA503WithRetryAfter() {
        runner.withPropertyValues("kappa.web.problems.retry-after=1500ms").run(context -> {
            MockMvc mvc = mvc(context);
            expectProblem(mvc.perform(get("/throw/store")), 503, "store-unavailable",
                    "the database is unavailable; nothing was written")
                    .andExpect(header().string("Retry-After", "2"))
                    .andExpect(content().string(not(containsString("Hikari"))))
                    .andExpect(content().string(not(containsString("account-ann"))));
            expectProblem(mvc.perform(get("/throw/outcome")), 503, "outcome-unknown",
                    "may or may not have been written. Send the request again with the same Idempotency-Key")
                    .andExpect(header().string("Retry-After", "2"))
                    .andExpect(content().string(not(containsString("FATAL"))))
                    .andExpect(content().string(not(containsString("account-ann"))));
            expectProblem(mvc.perform(get("/throw/behind")), 503, "read-model-behind", "'balances' is at offset 4")
                    .andExpect(header().string("Retry-After", "2"))
                    .andExpect(jsonPath("$.projection").value("balances"))
                    .andExpect(jsonPath("$.offset").value(9)).andExpect(jsonPath("$.checkpoint").value(4));
        });
    }

    @Test
    void anUnreachableDatabaseSeenThroughSpringIsA503WithoutItsSql() {
        runner.run(context -> {
            MockMvc mvc = mvc(context);
            for (String failure : new String[] {"no-transaction", "no-connection", "resource", "transient",
                    "recoverable", "rollback-failed", "session-ended"}) {
                expectProblem(mvc.perform(get("/throw/" + failure)), 503, "store-unavailable",
                        "the database is unavailable")
                        .andExpect(header().string("Retry-After", "1"))
                        .andExpect(content().string(not(containsString("SELECT"))));
            }
        });
    }

    @Test
    void aDataAccessFailureOfAReachableDatabaseIsNoOutage() {
        runner.run(context -> assertThatThrownBy(() -> mvc(context).perform(get("/throw/duplicate")))
                .hasRootCauseInstanceOf(DuplicateKeyException.class));
    }

    @Test
    void theApplicationsOwnExceptionHandlersComeFirst() {
        runner.withUserConfiguration(OwnProblems.class).run(context -> {
            MockMvc mvc = mvc(context);
            mvc.perform(get("/throw/frozen")).andExpect(status().isConflict())
                    .andExpect(jsonPath("$.detail").value("account 'ann' is frozen"));
            expectProblem(mvc.perform(get("/throw/rule")), 422, "insufficient-funds", "holds 5");
        });
    }

    @Test
    void aBodyThatCannotBeReadNamesTheFieldAndWhy() {
        runner.run(context -> {
            MockMvc mvc = mvc(context);
            expectProblem(postJson(mvc, "/money", "{\"cents\": 1.5, \"currency\": \"EUR\"}"), 400,
                    "invalid-request", "cents: must be a whole number, not 1.5");
            expectProblem(postJson(mvc, "/money", "{\"cents\": \"100\", \"currency\": \"EUR\"}"), 400,
                    "invalid-request", "cents: must be a whole number");
            expectProblem(postJson(mvc, "/money", "{\"cents\": 100, \"currency\": 978}"), 400,
                    "invalid-request", "currency: must be a string, not 978");
            expectProblem(postJson(mvc, "/money", "{\"cents\": 100, \"urgent\": \"yes\"}"), 400,
                    "invalid-request", "urgent: must be true or false");
            expectProblem(postJson(mvc, "/money", "{\"cents\": 100, \"currency\": \"EUR\", \"urgent\": \"true\"}"),
                    400, "invalid-request", "urgent: must be true or false");
            expectProblem(postJson(mvc, "/money", "{\"cents\": 100, \"currency\": \"EUR\", \"urgent\": 1}"),
                    400, "invalid-request", "urgent: must be true or false");
            expectProblem(postJson(mvc, "/money", "{\"cents\": 100, \"currency\": true, \"urgent\": true}"),
                    400, "invalid-request", "currency: must be a string");
            expectProblem(postJson(mvc, "/money", "{\"cents\": null, \"currency\": \"EUR\"}"), 400,
                    "invalid-request", "cents: must be a whole number, not null");
            expectProblem(postJson(mvc, "/money", "{\"currency\": \"EUR\"}"), 400,
                    "invalid-request", "cents: is missing; it must be a whole number");
            expectProblem(postJson(mvc, "/money", "{\"cents\": 1, \"currency\": \"E\\u0000R\"}"), 400,
                    "invalid-request", "currency: must not contain the NUL character (U+0000)");
            expectProblem(postJson(mvc, "/money", "{\"cents\": 1, \"currency\": \"E\\ud800R\"}"), 400,
                    "invalid-request", "currency: must not contain half of a UTF-16 surrogate pair");
            expectProblem(postJson(mvc, "/money", "{\"cents\": 1, \"currency\": \"E\\udc00\\ud83dR\"}"), 400,
                    "invalid-request", "currency: must not contain half of a UTF-16 surrogate pair");
            expectProblem(postJson(mvc, "/money", "{\"cents\": 1, \"cents\": 2, \"currency\": \"EUR\"}"), 400,
                    "invalid-request", "cents: is given twice in the same object");
            mvc.perform(post("/money").contentType(MediaType.APPLICATION_JSON)
                    .content("{\"cents\": 1, \"currency\": \"\\ud83d\\udcb6\", \"urgent\": false}"))
                    .andExpect(status().isOk()).andExpect(jsonPath("$.currency").value("\ud83d\udcb6"));
            expectProblem(postJson(mvc, "/money", "{\"cents\": 1,"), 400,
                    "invalid-request", "the body is not valid JSON");
            expectProblem(postJson(mvc, "/money", "{\"cents\": 1, \"currency\": \"EUR\", \"urgent\": true} {}"), 400,
                    "invalid-request", "the body is not valid JSON: it goes on after its value");
            expectProblem(postJson(mvc, "/money", "[1]"), 400, "invalid-request", "the body must be a JSON object");
            expectProblem(postJson(mvc, "/money", ""), 400, "invalid-request", "the request has no body");
            mvc.perform(post("/money").contentType(MediaType.APPLICATION_JSON)
                    .content("{\"cents\": 100, \"currency\": \"EUR\", \"urgent\": true}"))
                    .andExpect(status().isOk()).andExpect(jsonPath("$.cents").value(100));
        });
    }

    @Test
    void aBodyReadAsAMapOfStringsTakesNumbersAndBooleansAsTheirText() {
        runner.run(context -> {
            MockMvc mvc = mvc(context);
            mvc.perform(post("/arguments").contentType(MediaType.APPLICATION_JSON)
                            .content("{\"offset\": 3, \"fraction\": 1.5, \"flag\": true, \"note\": \"why\"}"))
                    .andExpect(status().isOk()).andExpect(jsonPath("$.offset").value("3"))
                    .andExpect(jsonPath("$.fraction").value("1.5")).andExpect(jsonPath("$.flag").value("true"))
                    .andExpect(jsonPath("$.note").value("why"));
            expectProblem(postJson(mvc, "/arguments", "{\"note\": \"a\\u0000b\"}"), 400, "invalid-request",
                    "note: must not contain the NUL character");
            expectProblem(postJson(mvc, "/arguments", "{\"offset\": 3, \"offset\": 4}"), 400, "invalid-request",
                    "offset: is given twice");
        });
    }

    @Test
    void parametersAndMediaTypesThatDoNotFitAreClientErrors() {
        runner.run(context -> {
            MockMvc mvc = mvc(context);
            expectProblem(mvc.perform(get("/page").param("size", "many")), 400, "invalid-request",
                    "size: must be a whole number, not 'many'");
            expectProblem(mvc.perform(get("/page").param("size", "0")), 400, "invalid-request",
                    "size: must be greater than or equal to 1");
            expectProblem(mvc.perform(get("/page")), 400, "invalid-request", "size");
            expectProblem(mvc.perform(post("/money").contentType("*/*").content("{}")), 415,
                    "unsupported-media-type", "send application/json");
            expectProblem(mvc.perform(post("/money").contentType(MediaType.TEXT_PLAIN).content("{}")), 415,
                    "unsupported-media-type", "Content-Type 'text/plain' is not supported here");
            expectProblem(mvc.perform(post("/page")), 405, "method-not-allowed", "POST");
            expectProblem(mvc.perform(get("/page").param("size", "2").accept(MediaType.APPLICATION_XML)), 406,
                    "not-acceptable", "");
            expectProblem(mvc.perform(get("/nowhere")), 404, "not-found", "nowhere");
            expectProblem(mvc.perform(get("/totals/refused").param("why", "because")), 400, "invalid-request",
                    "why: because");
        });
    }

    @Test
    void otherExceptionsAreLeftToSpringBoot() {
        runner.run(context -> assertThatThrownBy(() -> mvc(context).perform(get("/throw/bug")))
                .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("bug"));
    }

    @Test
    void aBodyAboveTheLimitIs413() {
        runner.withPropertyValues("kappa.web.body-limit.max-size=64B").run(context -> {
            MockMvc mvc = mvc(context);
            String large = "{\"cents\": 1, \"currency\": \"" + "E".repeat(64) + "\"}";
            expectProblem(postJson(mvc, "/money", large), 413, "content-too-large",
                    "the request body is larger than 64B, the most this application takes"
                            + " (kappa.web.body-limit.max-size)");
            postJson(mvc, "/money", "{\"cents\": 1, \"currency\": \"EUR\", \"urgent\": false}")
                    .andExpect(status().isOk());
        });
    }

    @Test
    void aReadWaitsForTheOffsetOfTheHeaderOrTheParameterInEveryProjection() throws InterruptedException {
        when(projections.awaitCheckpoint(eq("balances"), anyLong(), any())).thenAnswer(
                call -> new CheckpointWait("balances", call.getArgument(1), call.getArgument(1)));
        when(projections.awaitCheckpoint(eq("totals"), anyLong(), any())).thenAnswer(
                call -> new CheckpointWait("totals", call.getArgument(1), 6));
        runner.withPropertyValues("kappa.web.read-your-writes.timeout=3s").run(context -> {
            MockMvc mvc = mvc(context);
            mvc.perform(get("/balances").header(ReadYourWrites.HEADER, "6")).andExpect(status().isOk())
                    .andExpect(content().string("fresh"));
            verify(projections).awaitCheckpoint(eq("balances"), eq(6L), any());
            verify(projections).awaitCheckpoint(eq("totals"), eq(6L), any());

            expectProblem(mvc.perform(get("/balances").param(ReadYourWrites.PARAMETER, "7")), 503,
                    "read-model-behind", "the read model 'totals' is at offset 6, not yet at 7")
                    .andExpect(header().string("Retry-After", "1"));

            // the header wins over the parameter
            mvc.perform(get("/balances").header(ReadYourWrites.HEADER, "5").param(ReadYourWrites.PARAMETER, "7"))
                    .andExpect(status().isOk());
            // the controller's annotation covers its handlers
            mvc.perform(get("/totals").param(ReadYourWrites.PARAMETER, "7")).andExpect(status().isServiceUnavailable());
            mvc.perform(get("/balances")).andExpect(status().isOk());
            mvc.perform(get("/balances").param("offset", "0")).andExpect(status().isOk());
            verify(projections, never()).awaitCheckpoint(any(), eq(0L), any());
        });
    }

    @Test
    void anOffsetThatIsNoOffsetIsAClientError() {
        runner.run(context -> {
            MockMvc mvc = mvc(context);
            for (String offset : new String[] {"-1", "1.5", "0x10", "+3", "99999999999999999999", "abc", ""}) {
                expectProblem(mvc.perform(get("/balances").param("offset", offset)), 400, "invalid-request",
                        "the offset parameter must be a log offset");
            }
            expectProblem(mvc.perform(get("/balances").header(ReadYourWrites.HEADER, "-5")), 400,
                    "invalid-request", "the Kappa-Offset header must be a log offset");
            verify(projections, never()).awaitCheckpoint(any(), anyLong(), any(Duration.class));
        });
    }

    @Test
    void anIdempotencyKeyIsScopedToTheRequestAndFingerprintsItsContent() {
        runner.run(context -> {
            MockMvc mvc = mvc(context);
            Map<?, ?> first = keyed(mvc, "/keyed/a", "k-1", "{\"cents\": 5, \"currency\": \"EUR\"}");
            Map<?, ?> relaidOut = keyed(mvc, "/keyed/a", "\"k-1\"", "{ \"currency\":\"EUR\",\n \"cents\":5 }");
            Map<?, ?> otherBody = keyed(mvc, "/keyed/a", "k-1", "{\"cents\": 6, \"currency\": \"EUR\"}");
            Map<?, ?> otherPath = keyed(mvc, "/keyed/b", "k-1", "{\"cents\": 5, \"currency\": \"EUR\"}");

            assertThat(first.get("value")).isEqualTo("k-1");
            assertThat(relaidOut).as("the same request, quoted key, other layout").isEqualTo(first);
            assertThat(otherBody.get("scoped")).isEqualTo(first.get("scoped"));
            assertThat(otherBody.get("fingerprint")).isNotEqualTo(first.get("fingerprint"));
            assertThat(otherPath.get("scoped")).isNotEqualTo(first.get("scoped"));
            assertThat(otherPath.get("newId")).isNotEqualTo(first.get("newId"));
            assertThat((String) first.get("scoped")).startsWith("k-1@").hasSizeLessThanOrEqualTo(200);

            mvc.perform(post("/keyed/a")).andExpect(jsonPath("$.present").value(false));
            for (String bad : new String[] {"", "two words", "k".repeat(101), "\"\""}) {
                expectProblem(mvc.perform(post("/keyed/a").header(IdempotencyKey.HEADER, bad)), 400,
                        "invalid-request", "Idempotency-Key: must be 1 to 100 visible ASCII characters");
            }
            expectProblem(mvc.perform(post("/keyed/a").header(IdempotencyKey.HEADER, "k-1", "k-2")), 400,
                    "invalid-request", "Idempotency-Key: must be sent once, with one key");
            expectProblem(mvc.perform(post("/keyed/a").header(IdempotencyKey.HEADER, "k-1,k-2")), 400,
                    "invalid-request", "Idempotency-Key: must be sent once, with one key");
        });
    }

    private static Map<?, ?> keyed(MockMvc mvc, String path, String key, String body) throws Exception {
        String answer = mvc.perform(post(path).header(IdempotencyKey.HEADER, key)
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return tools.jackson.databind.json.JsonMapper.builder().build().readValue(answer, Map.class);
    }

    private static ResultActions postJson(MockMvc mvc, String path, String body) throws Exception {
        return mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static ResultActions expectProblem(ResultActions answer, int status, String type, String detail)
            throws Exception {
        return answer.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(TYPES + type))
                .andExpect(jsonPath("$.detail").value(containsString(detail)));
    }

    /** MockMvc on the context, with the filters it defines, as a servlet container would apply them. */
    private static MockMvc mvc(AssertableWebApplicationContext context) {
        assertThat(context).hasNotFailed();
        return MockMvcBuilders.webAppContextSetup(context.getSourceApplicationContext())
                .addFilters(context.getBeansOfType(Filter.class).values().stream()
                        .sorted(org.springframework.core.annotation.AnnotationAwareOrderComparator.INSTANCE)
                        .toArray(Filter[]::new))
                .build();
    }
}
