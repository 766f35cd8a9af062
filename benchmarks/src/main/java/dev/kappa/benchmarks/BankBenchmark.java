package dev.kappa.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;

import com.sun.management.OperatingSystemMXBean;

import dev.kappa.benchmarks.BenchmarkOptions.Phase;
import dev.kappa.postgres.embedded.EmbeddedPostgresServer;
import dev.kappa.projections.ProjectionRuntime;

/**
 * The bank workload ({@code shared/bench/bank-workload.md}) on Kappa: starts one embedded PostgreSQL 18 (durable
 * unless {@code DURABLE=false}), runs the phases — write, bulk-append (with PostgreSQL's {@code COPY} of the same
 * rows as its ceiling), rebuild, latency — prints a {@code phase=… value=… unit=…} line for each, checks the sums
 * and exits with status 1 if any differs. {@link BenchmarkOptions} lists the settings. Start it with
 * {@code benchmarks/run.sh}.
 */
public final class BankBenchmark {

    private static final String WRITE_DATABASE = "bank_write";
    private static final String LOG_DATABASE = "bank_log";

    private final BenchmarkOptions options;
    private final BenchmarkReport report;

    BankBenchmark(BenchmarkOptions options, PrintStream out) {
        this.options = options;
        this.report = new BenchmarkReport(out);
    }

    /** Runs the workload with the options the environment gives; exits with 1 if a sum is wrong, 2 on a failure. */
    public static void main(String[] args) {
        try {
            BenchmarkOptions options = BenchmarkOptions.from(System.getenv(), args);
            BenchmarkReport report = new BankBenchmark(options, System.out).run();
            if (!report.sumsMatch()) {
                System.err.println("the sums do not match the workload's: see the check= lines marked MISMATCH");
                System.exit(1);
            }
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(2);
        }
    }

    /** Runs the phases the options ask for, on a server of its own, and returns what it found. */
    BenchmarkReport run() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder().durable(options.durable()).start()) {
            describeMachine(server);
            if (options.runs(Phase.WRITE)) {
                try (BankDatabase database = new BankDatabase(server, WRITE_DATABASE)) {
                    new WritePhase(options, report).run(database);
                }
                server.dropDatabase(WRITE_DATABASE);
            }
            if (options.runs(Phase.BULK_APPEND)) {
                try (BankDatabase database = new BankDatabase(server, LOG_DATABASE)) {
                    runOnTheLog(database);
                }
            }
        }
        return report;
    }

    /** Bulk-append, its ceiling, rebuild and latency: each phase after the first reads what the first wrote. */
    private void runOnTheLog(BankDatabase database) throws Exception {
        AccountBook book = new BulkAppendPhase(options, report).run(database);
        double bulkAppendRate = report.figures().get(report.figures().size() - 1).value();
        new CopyCeiling(options, report).run(database, bulkAppendRate);
        if (!options.runs(Phase.REBUILD)) {
            return;
        }
        RebuildPhase rebuild = new RebuildPhase(options, report);
        try (ProjectionRuntime runtime = rebuild.run(database, book)) {
            if (options.runs(Phase.LATENCY)) {
                new LatencyPhase(options, report).run(database, runtime, book);
            }
        }
    }

    private void describeMachine(EmbeddedPostgresServer server) {
        long memory = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        report.note("machine: %d cores, %.0f GiB; Java %s, max heap %.1f GiB; %s", Runtime.getRuntime()
                        .availableProcessors(), memory / (double) (1L << 30), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (double) (1L << 30), server);
        report.note("postgres: %s (fsync and synchronous_commit %s)", options.durable() ? "DURABLE" : "NOT DURABLE",
                options.durable() ? "on" : "off");
        report.note("sizes: accounts=%d events=%d write_events=%d latency_commands=%d", options.accounts(),
                options.events(), options.writeEvents(), options.latencyCommands());
    }
}
