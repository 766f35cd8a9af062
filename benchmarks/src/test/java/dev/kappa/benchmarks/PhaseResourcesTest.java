package dev.kappa.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** What {@link PhaseResources} reports of this JVM, phase by phase; the database's figures are the smoke test's. */
class PhaseResourcesTest {

    private static final int HELD_MIB = 64;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final BenchmarkReport report = new BenchmarkReport(new PrintStream(output, true, StandardCharsets.UTF_8));

    @Test
    void heapPeakAndHeapLiveCountWhatThePhaseHeldThroughACollection() {
        try (PhaseResources resources = new PhaseResources(report)) {
            // given a phase that holds 64 MiB and allocates until the collector runs
            PhaseResources.Usage usage = resources.start("holding");
            byte[][] held = new byte[HELD_MIB][];
            for (int i = 0; i < held.length; i++) {
                held[i] = new byte[1 << 20];
            }
            long collections = collections();
            for (int i = 0; i < 1_000_000 && collections() == collections; i++) {
                Reference.reachabilityFence(new byte[64 << 10]);
            }
            assertThat(collections()).as("a collection during the phase").isGreaterThan(collections);

            // when it finishes, still holding them
            usage.finishMemory();
            Reference.reachabilityFence(held);

            // then both heap figures count them, and a collection happened, so no note stands in for it
            assertThat(report.value("holding-heap-peak")).isGreaterThanOrEqualTo(HELD_MIB);
            assertThat(report.value("holding-heap-live")).isGreaterThanOrEqualTo(HELD_MIB);
            assertThat(output.toString(StandardCharsets.UTF_8)).doesNotContain("no garbage collection");
        }
    }

    @Test
    void rssPeakIsReportedWhereLinuxGivesIt() {
        try (PhaseResources resources = new PhaseResources(report)) {
            PhaseResources.Usage usage = resources.start("quiet");

            usage.finishMemory();

            if (Files.isReadable(Path.of("/proc/self/status"))) {
                assertThat(report.value("quiet-rss-peak")).isPositive();
            }
            assertThat(report.value("quiet-heap-live")).isPositive();
        }
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }
}
