package dev.kappa.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;

import com.sun.management.OperatingSystemMXBean;

import dev.kappa.benchmarks.BenchmarkOptions.Phase;
import dev.kappa.postgres.embedded.EmbeddedPostgresServer;
import dev.kappa.projections.ProjectionRuntime;

/**
 * The bank workload ({@code shared/bench/bank-workload.md}) on Kappa: starts one embedded PostgreSQL 18 (durable
 * unless {@code DURABLE=false}), runs the phases — write (with PostgreSQL's own single-row commits from as many
 * clients beside it), bulk-append (with PostgreSQL's {@code COPY} of the same rows as its ceiling), rebuild,
 * latency, and beyond the workload segments and the Kafka phases (relay with a producer's ceiling, kafka-rebuild,
 * kafka-latency, on a broker in a child JVM) — prints a {@code phase=… value=… unit=…} line for each, checks the sums and exits with status 1 if any
 * differs. {@link BenchmarkOptions} lists the settings. Start it with {@code benchmarks/run.sh}.
 */
public final class BankBenchmark {

    private static final String WRITE_DATABASE = "bank_write";
    private static final String LOG_DATABASE = "bank_log";
    private static final int STATEMENTS_SHOWN = 8;

    private final BenchmarkOptions options;
    private final BenchmarkReport report;
    private final PhaseResources resources;

    BankBenchmark(BenchmarkOptions options, PrintStream out) {
        this.options = options;
        this.report = new BenchmarkReport(out);
        this.resources = new PhaseResources(report);
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
        EmbeddedPostgresServer.Builder builder = EmbeddedPostgresServer.builder().durable(options.durable());
        options.postgresSettings().forEach(builder::setting);
        if (options.profile()) {
            builder.setting("shared_preload_libraries", "pg_stat_statements")
                    .setting("pg_stat_statements.track_planning", "on")
                    .setting("track_wal_io_timing", "on");
        }
        try (resources; EmbeddedPostgresServer server = builder.start()) {
            describeMachine(server);
            if (options.runs(Phase.WRITE)) {
                try (BankDatabase database = new BankDatabase(server, WRITE_DATABASE)) {
                    profiled(database, Phase.WRITE, () -> {
                        new WritePhase(options, report).run(database);
                        return null;
                    });
                    resources.measure("write-reference", database, () -> {
                        new WriteReference(options, report).run(database);
                        return null;
                    });
                }
                server.dropDatabase(WRITE_DATABASE);
            }
            if (options.runs(Phase.BULK_APPEND)) {
                try (BankDatabase database = new BankDatabase(server, LOG_DATABASE)) {
                    runOnTheLog(database);
                }
            }
            if (options.runs(Phase.COMPACTION)) {
                try (BankDatabase database = new BankDatabase(server, CompactionPhase.DATABASE)) {
                    profiled(database, Phase.COMPACTION, () -> {
                        new CompactionPhase(options, report).run(database);
                        return null;
                    });
                }
                server.dropDatabase(CompactionPhase.DATABASE);
            }
        }
        report.note("load: %.2f (1-minute average) at the end", ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
        return report;
    }

    /**
     * Bulk-append, its ceiling, rebuild, latency, the segmented rebuilds and the Kafka phases: each phase after the
     * first reads what the first wrote.
     */
    private void runOnTheLog(BankDatabase database) throws Exception {
        AccountBook book = profiled(database, Phase.BULK_APPEND, () -> new BulkAppendPhase(options, report)
                .run(database));
        double bulkAppendRate = report.value("bulk-append");
        resources.measure("bulk-append-ceiling", database, () -> {
            new CopyCeiling(options, report).run(database, bulkAppendRate);
            return null;
        });
        if (options.runs(Phase.REBUILD)) {
            try (ProjectionRuntime runtime = profiled(database, Phase.REBUILD, () -> new RebuildPhase(options, report)
                    .run(database, book))) {
                if (options.runs(Phase.LATENCY)) {
                    profiled(database, Phase.LATENCY, () -> {
                        LatencyPhase.onTheLog(options, report).run(database, runtime, book.totalBalance(),
                                options.events());
                        return null;
                    });
                }
            }
        }
        // the phases beyond the workload run after its own, so that its figures are taken as it defines them; the
        // balances are then the ones those phases checked
        long expectedBalance = options.runs(Phase.REBUILD)
                ? database.queryLong("SELECT coalesce(sum(balance), 0) FROM account_balance")
                : book.totalBalance();
        if (options.runs(Phase.SEGMENTS)) {
            profiled(database, Phase.SEGMENTS, () -> {
                new SegmentsPhase(options, report).run(database, expectedBalance);
                return null;
            });
        }
        if (options.runs(Phase.RELAY)) {
            profiled(database, Phase.RELAY, () -> {
                new KafkaPhases(options, report).run(database, expectedBalance);
                return null;
            });
        }
    }

    /** A phase's work, which may fail as a benchmark may: with any exception. */
    private interface PhaseRun<T> {
        T run() throws Exception;
    }

    /**
     * Runs a phase and reports its memory and disk after it ({@link PhaseResources}; relay's are those of all the
     * Kafka phases, under "kafka"); with profiling on, reports the statements PostgreSQL spent its time on meanwhile.
     */
    private <T> T profiled(BankDatabase database, Phase phase, PhaseRun<T> run) throws Exception {
        return resources.measure(phase == Phase.RELAY ? "kafka" : phase.label(), database, () -> {
            if (!options.profile()) {
                return run.run();
            }
            database.resetStatementStatistics();
            T result = run.run();
            report.note("%s: PostgreSQL's costliest statements (pg_stat_statements: planning and execution, not round trips):", phase.label());
            for (String line : database.costliestStatements(STATEMENTS_SHOWN)) {
                report.note("  %s", line);
            }
            report.note("%s: WAL (pg_stat_wal, pg_stat_io): %s", phase.label(), database.walSummary());
            return result;
        });
    }

    private void describeMachine(EmbeddedPostgresServer server) {
        long memory = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        report.note("machine: %d cores, %.0f GiB; Java %s, max heap %.1f GiB; %s", Runtime.getRuntime()
                        .availableProcessors(), memory / (double) (1L << 30), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (double) (1L << 30), server);
        report.note("postgres: %s (fsync and synchronous_commit %s)%s", options.durable() ? "DURABLE" : "NOT DURABLE",
                options.durable() ? "on" : "off", (options.profile() ? "; PROFILED with pg_stat_statements" : "")
                        + (options.postgresSettings().isEmpty() ? "" : "; SETTINGS " + options.postgresSettings()));
        report.note("sizes: accounts=%d events=%d write_events=%d latency_commands=%d kafka_latency_commands=%d"
                        + " kafka_partitions=%d", options.accounts(), options.events(), options.writeEvents(),
                options.latencyCommands(), options.kafkaLatencyCommands(), options.kafkaPartitions());
        report.note("load: %.2f (1-minute average, %d cores) at the start", ManagementFactory
                .getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
    }
}
