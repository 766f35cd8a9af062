package dev.kappa.console;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
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

import dev.kappa.console.sample.ConsoleTestApplication;
import dev.kappa.console.sample.ConsoleTestApplication.Noted;
import dev.kappa.console.sample.ConsoleTestApplication.Poisoned;
import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.ProjectionControl;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionState;
import dev.kappa.projections.ProjectionStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The console of a running application, over HTTP as its page uses it: the state matches the projection monitor, the
 * stream sends it, the page fetches nothing from elsewhere, and actions are taken only by an operator, with the
 * runtime's rules, each one recorded.
 */
@DirtiesContext
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "kappa.console.write-access=true",
                "kappa.console.refresh-interval=200ms",
                "kappa.projections.retry-attempts=1",
                "kappa.projections.retry-initial-delay=10ms",
                "kappa.projections.retry-max-delay=10ms"})
class ConsoleIntegrationTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static long poison;

    @Autowired
    EventStore store;
    @Autowired
    ProjectionMonitor monitor;
    @Autowired
    ProjectionControl control;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private ConsoleClient console;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @BeforeAll
    static void resetPoison() {
        poison = 0;
    }

    @BeforeEach
    void events() {
        console = new ConsoleClient(port);
        if (poison == 0) {
            // given five notes, a poison event that came from a request, and two notes after it
            for (int i = 0; i < 5; i++) {
                store.append("notes-" + i, ExpectedVersion.any(), List.of(NewEvent.of(new Noted("n" + i))));
            }
            AppendResult poisoned = store.append("poison-1", ExpectedVersion.any(), List.of(
                    NewEvent.of(new Poisoned("bad data")).withCorrelationId("corr-1").withCausationId("cause-1")));
            poison = poisoned.toOffset();
            for (int i = 5; i < 7; i++) {
                store.append("notes-" + i, ExpectedVersion.any(), List.of(NewEvent.of(new Noted("n" + i))));
            }
        }
        await().atMost(PATIENCE).until(() -> monitor.isCaughtUp("counter")
                && monitor.status("counter").checkpoint() == store.head());
    }

    @Test
    void theStateShowsWhatTheProjectionMonitorReports() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode state = console.state(null);
            List<ProjectionStatus> statuses = monitor.status();

            assertThat(state.get("log").get("head").asLong()).isEqualTo(store.head());
            assertThat(state.get("projections")).hasSize(statuses.size());
            for (ProjectionStatus status : statuses) {
                JsonNode shown = projection(state, status.name());
                assertThat(shown.get("state").asString()).as(status.name()).isEqualTo(status.state().name());
                assertThat(shown.get("checkpoint").asLong()).as(status.name()).isEqualTo(status.checkpoint());
                assertThat(shown.get("lag").asLong()).as(status.name()).isEqualTo(status.lag());
                assertThat(shown.get("caughtUp").asBoolean()).as(status.name()).isEqualTo(status.caughtUp());
                assertThat(shown.get("segments")).hasSize(status.segments().size());
                assertThat(shown.get("segments").get(0).get("owner").asString())
                        .isEqualTo(status.segments().get(0).owner());
                assertThat(shown.get("deadLetters")).hasSize(monitor.deadLetters(status.name()).size());
            }
            assertThat(state.get("user").isNull()).isTrue();
            assertThat(state.get("canAct").asBoolean()).isFalse();
            assertThat(state.get("fleet")).isNotEmpty();
            assertThat(state.get("instanceId").asString()).isNotBlank();
        });
    }

    @Test
    void aStoppedProjectionShowsTheFailingEventWithItsCorrelationAndCausation() throws Exception {
        await().atMost(PATIENCE).until(() -> monitor.status("strict").state() == ProjectionState.FAILED);

        JsonNode failure = projection(console.state(null), "strict").get("failure");

        assertThat(failure.get("offset").asLong()).isEqualTo(poison);
        assertThat(failure.get("eventType").asString()).isEqualTo("Poisoned");
        assertThat(failure.get("message").asString()).contains("cannot apply bad data");
        assertThat(failure.get("streamId").asString()).isEqualTo("poison-1");
        assertThat(failure.get("correlationId").asString()).isEqualTo("corr-1");
        assertThat(failure.get("causationId").asString()).isEqualTo("cause-1");
    }

    @Test
    void theStreamSendsTheStateAtOnceAndAgain() throws Exception {
        HttpResponse<Stream<String>> response = console.stream("/kappa/stream", "operator");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));

        List<JsonNode> states = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            Iterator<String> reading = lines.iterator();
            CompletableFuture.runAsync(() -> {
                String event = null;
                while (states.size() < 2 && reading.hasNext()) {
                    String line = reading.next();
                    if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:") && "state".equals(event)) {
                        states.add(ConsoleClient.JSON.readTree(line.substring(5)));
                    }
                }
            }).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }

        assertThat(states).hasSize(2);
        assertThat(states.get(0).get("user").asString()).isEqualTo("operator");
        assertThat(states.get(0).get("canAct").asBoolean()).isTrue();
        assertThat(states.get(0).get("log").get("head").asLong()).isEqualTo(store.head());
        assertThat(projection(states.get(1), "counter").get("checkpoint").asLong()).isEqualTo(store.head());
    }

    @Test
    void thePageFetchesNothingFromElsewhereAndEveryAssetItNamesIsServed() throws Exception {
        HttpResponse<String> page = console.get("/kappa", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'");
        assertThat(page.body()).contains("<meta name=\"kappa-console-base\" content=\"/kappa\">")
                .contains("<meta name=\"_csrf\" content=\"").contains("<meta name=\"_csrf_header\" content=\"")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn");
        Matcher references = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        List<String> assets = new ArrayList<>();
        while (references.find()) {
            assets.add(references.group(1));
        }
        assertThat(assets).hasSizeGreaterThanOrEqualTo(3);
        for (String asset : assets) {
            if (asset.startsWith("#")) {
                continue;
            }
            HttpResponse<String> served = console.get(asset, null);
            assertThat(served.statusCode()).as(asset).isEqualTo(200);
            // its address changes with its content: kept a year, whatever the application's security adds
            assertThat(served.headers().firstValue("Cache-Control")).as(asset).hasValueSatisfying(cache ->
                    assertThat(cache).contains("max-age=31536000").doesNotContain("no-store"));
            // the SVG namespace names no address to fetch; nothing else may
            assertThat(served.body().replace("http://www.w3.org/2000/svg", "")).as(asset)
                    .doesNotContain("http://").doesNotContain("https://").doesNotContain("@import")
                    .doesNotContain("url(");
        }
        assertThat(console.get("/kappa/", null).statusCode()).isEqualTo(200);
        // what the application reports (payloads, errors, names) is set as text, never parsed as HTML
        String script = console.get(assets.stream().filter(asset -> asset.contains("console.js")).findFirst()
                .orElseThrow(), null).body();
        assertThat(script).doesNotContain("innerHTML").doesNotContain("outerHTML")
                .doesNotContain("insertAdjacentHTML").doesNotContain("document.write").doesNotContain("eval(");
    }

    @Test
    void signingInAsksForCredentialsThenGoesBackToThePage() throws Exception {
        assertThat(console.get("/kappa/sign-in", null).statusCode()).isEqualTo(401);

        HttpResponse<String> signedIn = console.get("/kappa/sign-in", "viewer");

        assertThat(signedIn.statusCode()).isEqualTo(302);
        // absolute, so that credentials typed into the address bar do not stay in the page's address
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).matches("http://localhost:[0-9]+/kappa"));
    }

    @Test
    void onlyAUserWhoHoldsTheOperatorRoleMayAct() throws Exception {
        HttpResponse<String> anonymous = console.post("/kappa/projections/counter/restart", "{\"confirm\": true}",
                null);
        HttpResponse<String> viewer = console.post("/kappa/projections/counter/restart", "{\"confirm\": true}",
                "viewer");

        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ConsoleClient.json(anonymous).get("detail").asString()).contains("sign in at /kappa/sign-in");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(ConsoleClient.json(viewer).get("type").asString()).isEqualTo("https://kappa.dev/problems/forbidden");
        assertThat(ConsoleClient.json(viewer).get("detail").asString())
                .isEqualTo("user 'viewer' does not hold role OPERATOR, which actions need");
        assertThat(console.state("viewer").get("canAct").asBoolean()).isFalse();
        assertThat(console.state("operator").get("canAct").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kappa_console_actions WHERE by_user = 'viewer'"
                + " OR by_user IS NULL", Long.class)).isZero();
    }

    @Test
    void anOperatorsActionIsDoneRecordedAndListed() throws Exception {
        HttpResponse<String> restart = console.post("/kappa/projections/counter/restart",
                "{\"confirm\": true, \"note\": \"after the deploy\"}", "operator");

        assertThat(restart.statusCode()).as(restart.body()).isEqualTo(200);
        JsonNode answer = ConsoleClient.json(restart);
        assertThat(answer.get("result").asString()).isEqualTo("projection 'counter' restarted");
        assertThat(answer.get("record").get("outcome").asString()).isEqualTo("DONE");
        assertThat(jdbc.queryForList("SELECT note FROM kappa_console_actions WHERE by_user = 'operator'"
                + " AND projection = 'counter' AND action = 'restart' AND outcome = 'DONE'", String.class))
                .contains("after the deploy");
        JsonNode listed = console.state("operator").get("actions");
        assertThat(listed).isNotEmpty();
        assertThat(listed.size()).isLessThanOrEqualTo(20);
        assertThat(listed.findValuesAsString("detail")).contains("projection 'counter' restarted");
    }

    @Test
    void aResetTheProjectionRefusesAnswersItsOwnMessage() throws Exception {
        // what the runtime says when asked directly (it changes nothing when it refuses)
        String refusal = null;
        try {
            control.reset("counter", 2);
        } catch (IllegalStateException e) {
            refusal = e.getMessage();
        }
        assertThat(refusal).isNotBlank();

        HttpResponse<String> reset = console.post("/kappa/projections/counter/reset",
                "{\"offset\": 2, \"confirm\": true}", "operator");

        assertThat(reset.statusCode()).isEqualTo(400);
        JsonNode problem = ConsoleClient.json(reset);
        assertThat(problem.get("type").asString()).isEqualTo("https://kappa.dev/problems/operation-refused");
        assertThat(problem.get("detail").asString()).isEqualTo(refusal);
        assertThat(problem.get("instance").asString()).isEqualTo("/kappa/projections/counter/reset");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kappa_console_actions WHERE action = 'reset'"
                + " AND event_offset = 2 AND outcome = 'REFUSED' AND detail = ?", Long.class, refusal)).isOne();
    }

    @Test
    void badInputIsRefusedWithAProblemThatSaysWhatIsWrong() throws Exception {
        assertRefused("/kappa/projections/counter/explode", "{\"confirm\": true}", 400, "unknown action 'explode'");
        assertRefused("/kappa/projections/strict/skip", "{\"offset\": \"12\", \"confirm\": true}", 400,
                "offset: must be a log offset");
        assertRefused("/kappa/projections/strict/skip", "{\"offset\": 1.5, \"confirm\": true}", 400,
                "offset: must be a log offset");
        assertRefused("/kappa/projections/strict/skip", "{\"offset\": -1, \"confirm\": true}", 400,
                "offset: must be a log offset");
        assertRefused("/kappa/projections/counter/restart", "{}", 400, "confirm: must be true");
        assertRefused("/kappa/projections/counter/restart", "{\"confirm\": \"yes\"}", 400, "confirm: must be true");
        assertRefused("/kappa/projections/strict/skip",
                "{\"offset\": 1, \"confirm\": true, \"note\": \"" + "x".repeat(501) + "\"}", 400,
                "note: at most 500 characters");
        assertRefused("/kappa/projections/counter/restart", "{\"confirm\": true, \"force\": true}", 400,
                "unknown field 'force'");
        assertRefused("/kappa/projections/counter/restart", "not json", 400, "must be a JSON object");
        assertRefused("/kappa/projections/strict/skip", "{\"confirm\": true}", 400, "give the offset");
        assertRefused("/kappa/projections/nowhere/restart", "{\"confirm\": true}", 404, "no projection 'nowhere'");
        // what a cross-site form could send
        assertThat(console.post("/kappa/projections/counter/restart", "text/plain", "{\"confirm\": true}",
                "operator").statusCode()).isEqualTo(415);
        assertThat(console.post("/kappa/projections/counter/restart", "application/x-www-form-urlencoded",
                "confirm=true", "operator").statusCode()).isEqualTo(415);
    }

    @Test
    void aPoisonEventIsSkippedFromTheConsoleAndListedAsADeadLetter() throws Exception {
        await().atMost(PATIENCE).until(() -> monitor.status("strict").state() == ProjectionState.FAILED);

        HttpResponse<String> skip = console.post("/kappa/projections/strict/skip",
                "{\"offset\": " + poison + ", \"note\": \"bad data, fixed upstream\", \"confirm\": true}", "operator");

        assertThat(skip.statusCode()).as(skip.body()).isEqualTo(200);
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode strict = projection(console.state(null), "strict");
            assertThat(strict.get("state").asString()).isEqualTo("RUNNING");
            JsonNode letter = strict.get("deadLetters").get(0);
            assertThat(letter.get("offset").asLong()).isEqualTo(poison);
            assertThat(letter.get("state").asString()).isEqualTo("SKIPPED");
            assertThat(letter.get("payload").asString()).contains("\"why\": \"bad data\"");
            assertThat(letter.get("correlationId").asString()).isEqualTo("corr-1");
            assertThat(letter.get("causationId").asString()).isEqualTo("cause-1");
            assertThat(letter.get("note").asString()).isEqualTo("bad data, fixed upstream");
            assertThat(letter.get("decidedBy").asString()).isEqualTo("operator");
        });
    }

    @Test
    void aReplayWhoseHandlerFailsAgainIsRecordedAsFailed() throws Exception {
        await().atMost(PATIENCE).until(() -> !monitor.deadLetters("lenient").isEmpty());
        JsonNode parked = projection(console.state(null), "lenient").get("deadLetters").get(0);
        assertThat(parked.get("state").asString()).isEqualTo("PARKED");
        assertThat(parked.get("payload").asString()).contains("\"why\": \"bad data\"");

        HttpResponse<String> replay = console.post("/kappa/projections/lenient/replay",
                "{\"offset\": " + poison + ", \"confirm\": true}", "operator");

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(409);
        assertThat(ConsoleClient.json(replay).get("detail").asString()).contains("still cannot apply bad data");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kappa_console_actions WHERE projection = 'lenient'"
                + " AND action = 'replay' AND outcome = 'FAILED'", Long.class)).isOne();
    }

    @Test
    void aRebuildOfAProjectionWithoutTablesIsRefusedWithTheRuntimesMessage() throws Exception {
        assertThatThrownBy(() -> control.rebuild("lenient")).isInstanceOf(IllegalStateException.class);

        HttpResponse<String> rebuild = console.post("/kappa/projections/lenient/rebuild", "{\"confirm\": true}",
                "operator");

        assertThat(rebuild.statusCode()).isEqualTo(400);
        assertThat(ConsoleClient.json(rebuild).get("detail").asString()).contains("lenient");
    }

    private void assertRefused(String path, String body, int status, String detail) throws Exception {
        HttpResponse<String> response = console.post(path, body, "operator");
        assertThat(response.statusCode()).as(path + " " + body + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = ConsoleClient.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).as(body).contains(detail);
        assertThat(problem.get("record").get("outcome").asString()).isEqualTo("REFUSED");
    }

    private static JsonNode projection(JsonNode state, String name) {
        for (JsonNode projection : state.get("projections")) {
            if (projection.get("name").asString().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError("no projection '" + name + "' in " + state);
    }
}
