package dev.kappa.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.kappa.benchmarks.BenchmarkReport.Figure;
import dev.kappa.benchmarks.BenchmarkReport.SumCheck;

/**
 * Runs the whole benchmark once at tiny sizes through the same code as a real run and checks what it wrote: every
 * phase reports, with its memory and disk, and every sum matches the workload's. Timings are printed but never judged.
 */
class BankBenchmarkSmokeTest {

    private static BenchmarkReport report;
    private static String printed;

    @BeforeAll
    static void runQuickly() throws Exception {
        BenchmarkOptions options = BenchmarkOptions.from(Map.of("QUICK", "true"), new String[0]).withDurable(false);
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        report = new BankBenchmark(options, new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        printed = output.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
    }

    @Test
    void aQuickRunReportsEveryPhaseAndItsSumsMatch() {
        assertThat(report.checks()).isNotEmpty().allSatisfy(check -> assertThat(check.matches())
                .as(check.line()).isTrue());
        assertThat(report.checks()).extracting(SumCheck::what).contains("write.sum(balance)",
                "account_balance.sum(balance)", "latency.account_balance.sum(balance)", "relay.relayedOffset",
                "account_balance_kafka.sum(balance)", "kafka-latency.account_balance_kafka.sum(balance)",
                "compaction.removed", "compaction.sum(revision)", "compaction.under-write.removed",
                "compaction.after-write.sum(revision)", "compaction.sum(balance)");
        assertThat(printed).containsPattern("(?m)^phase=write value=[0-9.]+ unit=commands/s$")
                .containsPattern("(?m)^phase=bulk-append value=[0-9.]+ unit=events/s$")
                .containsPattern("(?m)^phase=rebuild value=[0-9.]+ unit=events/s$")
                .containsPattern("(?m)^phase=latency-p50 value=[0-9.]+ unit=ms$")
                .containsPattern("(?m)^phase=latency-p99 value=[0-9.]+ unit=ms$")
                .containsPattern("(?m)^phase=relay-ceiling-producer value=[0-9.]+ unit=records/s$")
                .containsPattern("(?m)^phase=relay value=[0-9.]+ unit=events/s$")
                .containsPattern("(?m)^phase=kafka-rebuild value=[0-9.]+ unit=events/s$")
                .containsPattern("(?m)^phase=kafka-latency-p50 value=[0-9.]+ unit=ms$")
                .containsPattern("(?m)^phase=kafka-latency-p99 value=[0-9.]+ unit=ms$")
                .containsPattern("(?m)^phase=compaction value=[0-9.]+ unit=records/s$")
                .containsPattern("(?m)^phase=compaction-write-alone value=[0-9.]+ unit=commands/s$")
                .containsPattern("(?m)^phase=compaction-write-during value=[0-9.]+ unit=commands/s$")
                .containsPattern("(?m)^phase=compaction-under-write value=[0-9.]+ unit=records/s$")
                .containsPattern("(?m)^# write: a cycle of [0-9.]+ ms per group commit: [0-9.]+ ms in its transaction,"
                        + " -?[0-9.]+ ms outside it$");
        assertThat(report.sumsMatch()).isTrue();
    }

    @Test
    void aQuickRunReportsTheCopyCeilingsVariantsAndEveryPhasesMemoryAndDisk() {
        // the run is the first test's: starting another server and broker would double the test's time
        assertThat(positiveFigures()).contains(entry("bulk-append-ceiling-copy", "rows/s"),
                entry("bulk-append-ceiling-copy-interned", "rows/s"),
                entry("bulk-append-ceiling-copy-pk-only", "rows/s"));
        assertThat(printed)
                .contains("# ceiling table kappa_log_copy_interned: stream_id bigint; indexes:"
                        + " kappa_log_copy_interned_compaction_key_log_offset_idx,"
                        + " kappa_log_copy_interned_log_offset_idx, kappa_log_copy_interned_pkey,"
                        + " kappa_log_copy_interned_stream_id_stream_version_key; check constraints: 3")
                .contains("# ceiling table kappa_log_copy_pk_only: stream_id text; indexes: kappa_log_copy_pk_only_pk;"
                        + " check constraints: 0")
                .containsPattern("(?m)^# ceiling variants, the same rows: .*bulk-append at [0-9.]+ of it\\)$");
        for (String phase : List.of("write", "write-reference", "bulk-append", "bulk-append-ceiling", "rebuild",
                "latency", "segments", "kafka")) {
            assertThat(positiveFigures()).as(phase).contains(entry(phase + "-heap-peak", "MiB"),
                    entry(phase + "-heap-live", "MiB"),
                    entry(phase + "-rss-peak", "MiB"), entry(phase + "-postgres-rss", "MiB"),
                    entry(phase + "-disk-database", "MiB"), entry(phase + "-disk-wal", "MiB"),
                    entry(phase + "-disk-log", "MiB"), entry(phase + "-disk-log-indexes", "MiB"),
                    entry(phase + "-disk-streams", "MiB"), entry(phase + "-disk-idempotency", "MiB"));
        }
        for (String phase : List.of("rebuild", "latency", "segments", "kafka")) {
            assertThat(positiveFigures()).as(phase).contains(entry(phase + "-disk-read-model", "MiB"));
        }
        assertThat(positiveFigures()).contains(entry("kafka-disk-read-model-kafka", "MiB"));
    }

    /** The figures reported with a value above zero, by name, with their unit. */
    private static Map<String, String> positiveFigures() {
        return report.figures().stream().filter(figure -> figure.value() > 0)
                .collect(Collectors.toMap(Figure::phase, Figure::unit, (first, second) -> first));
    }
}
