package dev.kappa.projections;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.eventstore.StreamAppend;
import dev.kappa.postgres.embedded.EmbeddedPostgresServer;

/**
 * The rebuild phase of the bank workload ({@code shared/bench/bank-workload.md}) on a durable embedded PostgreSQL:
 * fills the log with the workload's million events, then resets {@link BalanceProjection} to 0 and times the replay
 * until it has caught up. Not a test: run it by hand.
 *
 * <pre>{@code
 * java -Xmx4g -cp <test class path> dev.kappa.projections.RebuildBenchmark [accounts] [events] [runs] [batch[/page],…]
 * }</pre>
 */
public final class RebuildBenchmark {

    private RebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String[] batchSizes = (args.length > 3 ? args[3]
                : Integer.toString(ProjectionRuntimeBuilder.DEFAULT_CATCH_UP_BATCH_SIZE)).split(",");
        Path data = Files.createTempDirectory("kappa-rebuild-bench");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder().dataDirectory(data).start()) {
            server.createDatabaseIfMissing("bench");
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(server.jdbcUrl("bench"));
            config.setUsername(EmbeddedPostgresServer.SUPERUSER);
            config.setMaximumPoolSize(16);
            try (HikariDataSource dataSource = new HikariDataSource(config)) {
                Sql settings = new Sql(dataSource);
                System.out.printf("postgres fsync=%s synchronous_commit=%s%n",
                        settings.rows("SHOW fsync").get(0).values().iterator().next(),
                        settings.rows("SHOW synchronous_commit").get(0).values().iterator().next());
                KappaSchema.migrate(dataSource);
                ProjectionSchema.migrate(dataSource);
                try (EventStore store = EventStore.builder(dataSource).codec(TestEvents.codec()).build()) {
                    long expectedSum = fill(store, accounts, events);
                    BalanceProjection projection = new BalanceProjection(dataSource);
                    Sql sql = new Sql(dataSource);
                    for (String batchSize : batchSizes) {
                        // "100000" or "100000/20000": events per batch, and records per read page
                        String[] sizes = batchSize.split("/");
                        ProjectionRuntimeBuilder builder = ProjectionRuntime.builder(dataSource, store)
                                .catchUpBatchSize(Integer.parseInt(sizes[0]));
                        if (sizes.length > 1) {
                            builder.readPageSize(Integer.parseInt(sizes[1]));
                        }
                        try (ProjectionRuntime runtime = builder.build()) {
                            runtime.register(projection);
                            runtime.start();
                            long head = store.head();
                            runtime.awaitCheckpoint("balances", head, Duration.ofMinutes(10));
                            for (int run = 1; run <= runs; run++) {
                                long started = System.nanoTime();
                                runtime.reset("balances");
                                CheckpointWait wait = runtime.awaitCheckpoint("balances", head,
                                        Duration.ofMinutes(10));
                                long nanos = System.nanoTime() - started;
                                long sum = sql.queryLong("SELECT sum(balance) FROM account_balance");
                                long count = sql.queryLong("SELECT count(*) FROM account_balance");
                                System.out.printf("batch=%s run=%d reached=%s sum=%d expected=%d count=%d%n",
                                        batchSize, run, wait.reached(), sum, expectedSum, count);
                                System.out.printf("phase=rebuild value=%.0f unit=events/s%n", head * 1e9 / nanos);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Appends the workload's events, round-robin over the accounts, 1,000 per call; returns the expected sum. */
    private static long fill(EventStore store, int accounts, int events) {
        int perAccount = events / accounts;
        long[] balance = new long[accounts];
        List<StreamAppend> batch = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < perAccount; i++) {
            for (int a = 0; a < accounts; a++) {
                NewEvent event;
                if (i == 0) {
                    event = TestEvents.opened("owner-" + a);
                } else {
                    int r = (a * 31 + i * 17) % 10;
                    if (r < 7) {
                        long amount = 1 + (a + i) % 500;
                        balance[a] += amount;
                        event = TestEvents.deposited(amount);
                    } else {
                        long amount = 1 + ((long) a * i) % 50;
                        if (balance[a] >= amount) {
                            balance[a] -= amount;
                            event = TestEvents.withdrawn(amount);
                        } else {
                            balance[a] += 100;
                            event = TestEvents.deposited(100);
                        }
                    }
                }
                batch.add(StreamAppend.of(String.format("acc-%05d", a), ExpectedVersion.any(), event));
                if (batch.size() == 1_000) {
                    store.append(AppendRequest.of(batch));
                    batch = new ArrayList<>();
                }
            }
        }
        if (!batch.isEmpty()) {
            store.append(AppendRequest.of(batch));
        }
        System.out.printf("phase=bulk-append value=%.0f unit=events/s%n",
                (double) events * 1e9 / (System.nanoTime() - started));
        long sum = 0;
        for (long b : balance) {
            sum += b;
        }
        return sum;
    }
}
