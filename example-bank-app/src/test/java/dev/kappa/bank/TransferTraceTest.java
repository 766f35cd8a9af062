package dev.kappa.bank;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanReporter;
import io.micrometer.tracing.test.simple.SpansAssert;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kappa.eventstore.EventStore;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.ProjectionStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One transfer, one trace: the HTTP request, its command and append, the group commit, every projection batch that
 * applies the transfer's events, and the reactor's commands with their appends, each span the child of the one that
 * caused it. Spring Boot's Brave support makes the spans; they are collected in memory and checked with Micrometer's
 * span assertions.
 */
@DirtiesContext
@AutoConfigureTracing
@Import(TransferTraceTest.SpansInMemory.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TransferTraceTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    FinishedSpans spans;
    @Autowired
    EventStore store;
    @Autowired
    ProjectionRuntime projections;
    @Autowired
    ObservationRegistry observations;
    @Autowired
    Tracer tracer;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @Test
    void aTransferIsOneTraceFromTheRequestThroughTheLogToTheReadModelsAndTheReactorsCommands() throws Exception {
        BankClient bank = new BankClient(port);
        assertThat(bank.post("/accounts", Map.of("accountId", "ann", "owner", "Ann", "currency", "EUR")).status())
                .isEqualTo(201);
        assertThat(bank.post("/accounts", Map.of("accountId", "ben", "owner", "Ben", "currency", "EUR")).status())
                .isEqualTo(201);
        bank.post("/accounts/ann/deposits", Map.of("amount", 10_000, "currency", "EUR"));
        // the batches that follow then hold the transfer's events alone
        awaitProjectionsAtHead();
        spans.clear();

        BankClient.Answer accepted = bank.post("/transfers",
                Map.of("from", "ann", "to", "ben", "amount", 2_500, "currency", "EUR"), "trace-me");
        assertThat(accepted.status()).isEqualTo(202);
        String transferId = accepted.body().get("transferId").asString();
        await().atMost(PATIENCE).until(() -> "COMPLETED".equals(
                bank.get("/transfers/" + transferId).body().get("status").asString()));
        awaitProjectionsAtHead();

        // a span is reported when it ends, a moment after the work it covers is visible
        await().atMost(PATIENCE).untilAsserted(() -> assertOneTrace(spans.kappa(), spans.all()));
    }

    @Test
    void logLinesWrittenInsideATraceCarryItsIds() {
        Observation observation = Observation.start("log-line", observations);
        try (Observation.Scope scope = observation.openScope()) {
            assertThat(tracer.currentSpan()).isNotNull();
            assertThat(MDC.get("traceId")).isEqualTo(tracer.currentSpan().context().traceId());
            assertThat(MDC.get("spanId")).isEqualTo(tracer.currentSpan().context().spanId());
        } finally {
            observation.stop();
        }
    }

    private void assertOneTrace(List<FinishedSpan> kappa, List<FinishedSpan> all) {
        FinishedSpan request = all.stream()
                .filter(span -> "/transfers".equals(span.getTags().get("uri"))
                        && "POST".equals(span.getTags().get("method")))
                .findFirst().orElseThrow(() -> new AssertionError("no span of the HTTP request POST /transfers"));
        Map<String, FinishedSpan> byId = new HashMap<>();
        all.forEach(span -> byId.put(span.getSpanId(), span));

        SpansAssert.assertThat(kappa).haveSameTraceId()
                .hasASpanWithName("kappa.command")
                .hasASpanWithName("kappa.append")
                .hasASpanWithName("kappa.group-commit")
                .hasASpanWithName("kappa.projection.batch");
        assertThat(kappa).allSatisfy(span -> {
            assertThat(span.getTraceId()).as("trace of %s", span.getName()).isEqualTo(request.getTraceId());
            assertThat(ancestors(span, byId)).as("ancestors of %s %s", span.getName(), span.getTags())
                    .contains(request);
        });

        List<FinishedSpan> commands = named(kappa, "kappa.command");
        assertThat(commands).extracting(span -> span.getTags().get("kappa.command.type"))
                .containsExactlyInAnyOrder("RequestTransfer", "DebitForTransfer", "RecordDebit", "CreditForTransfer",
                        "CompleteTransfer");
        assertThat(commands).allSatisfy(command -> assertThat(command.getTags().get("kappa.outcome"))
                .isEqualTo("success"));
        FinishedSpan requested = commandOf(commands, "RequestTransfer");
        assertThat(ancestors(requested, byId)).doesNotContainAnyElementsOf(named(kappa, "kappa.projection.batch"));
        // the reactor's commands run inside the batch of transfer-process that applied the event they answer
        for (String step : List.of("DebitForTransfer", "RecordDebit", "CreditForTransfer", "CompleteTransfer")) {
            FinishedSpan batch = byId.get(commandOf(commands, step).getParentId());
            assertThat(batch).as("parent of %s", step).isNotNull();
            assertThat(batch.getName()).isEqualTo("kappa.projection.batch");
            assertThat(batch.getTags()).containsEntry("kappa.projection", "transfer-process");
            // which continues the trace of the append that wrote the event
            assertThat(byId.get(batch.getParentId()).getName()).isEqualTo("kappa.append");
        }
        // every command appends, as its child
        assertThat(named(kappa, "kappa.append")).hasSizeGreaterThanOrEqualTo(commands.size())
                .allSatisfy(append -> assertThat(byId.get(append.getParentId()).getName()).isEqualTo("kappa.command"));
        // the request's append went through the group commit (the reactor's join the batch's transaction)
        assertThat(named(kappa, "kappa.group-commit")).anySatisfy(commit -> assertThat(
                byId.get(byId.get(commit.getParentId()).getParentId())).isEqualTo(requested));
        // the read models' batches are in the trace too
        assertThat(named(kappa, "kappa.projection.batch")).extracting(span -> span.getTags().get("kappa.projection"))
                .contains("transfer-process", "transfers", "account-summary", "account-transactions");
    }

    private void awaitProjectionsAtHead() throws InterruptedException {
        long head = store.head();
        for (ProjectionStatus status : projections.status()) {
            assertThat(projections.awaitCheckpoint(status.name(), head, PATIENCE).reached())
                    .as("projection %s reached %d", status.name(), head).isTrue();
        }
    }

    private static List<FinishedSpan> named(List<FinishedSpan> spans, String name) {
        return spans.stream().filter(span -> span.getName().equals(name)).toList();
    }

    private static FinishedSpan commandOf(List<FinishedSpan> commands, String type) {
        return commands.stream().filter(span -> type.equals(span.getTags().get("kappa.command.type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no span of the command " + type));
    }

    private static List<FinishedSpan> ancestors(FinishedSpan span, Map<String, FinishedSpan> byId) {
        List<FinishedSpan> ancestors = new ArrayList<>();
        for (FinishedSpan parent = byId.get(span.getParentId()); parent != null && ancestors.size() < 100;
             parent = byId.get(parent.getParentId())) {
            ancestors.add(parent);
        }
        return ancestors;
    }

    /** The spans the application finishes, kept in memory instead of exported. */
    static final class FinishedSpans implements SpanReporter {

        private final List<FinishedSpan> spans = new CopyOnWriteArrayList<>();

        @Override
        public void report(FinishedSpan span) {
            spans.add(span);
        }

        void clear() {
            spans.clear();
        }

        List<FinishedSpan> all() {
            return List.copyOf(spans);
        }

        List<FinishedSpan> kappa() {
            return spans.stream().filter(span -> span.getName().startsWith("kappa.")).toList();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class SpansInMemory {

        @Bean
        FinishedSpans finishedSpans() {
            return new FinishedSpans();
        }
    }
}
