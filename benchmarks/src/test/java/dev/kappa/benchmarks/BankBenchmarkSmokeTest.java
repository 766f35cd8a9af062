package dev.kappa.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kappa.benchmarks.BenchmarkReport.SumCheck;

/**
 * Runs the whole benchmark at tiny sizes through the same code as a real run and checks what it wrote: every phase
 * reports, and every sum matches the workload's. Timings are printed but never judged.
 */
class BankBenchmarkSmokeTest {

    @Test
    void aQuickRunReportsEveryPhaseAndItsSumsMatch() throws Exception {
        BenchmarkOptions options = BenchmarkOptions.from(Map.of("QUICK", "true"), new String[0]).withDurable(false);
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        BenchmarkReport report = new BankBenchmark(options, new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        String printed = output.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
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
                .containsPattern("(?m)^phase=compaction-under-write value=[0-9.]+ unit=records/s$");
        assertThat(report.sumsMatch()).isTrue();
    }
}
