package dev.kappa.benchmarks;

import java.time.Duration;

import dev.kappa.projections.CheckpointWait;
import dev.kappa.projections.ProjectionRuntime;

/**
 * Phase 3, rebuild: on the store bulk-append filled, with {@link BalanceProjection} built once, reset it to offset
 * zero and replay all E events until it has caught up with the head of the log. Figure: events per second, from the
 * reset call to caught-up. The table must then hold A rows whose balances and versions are the workload's.
 *
 * <p>The runtime keeps running afterwards: the latency phase uses it live.
 */
record RebuildPhase(BenchmarkOptions options, BenchmarkReport report) {

    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(30);

    /** Starts the runtime, lets the projection build once, then times a reset and replay. */
    ProjectionRuntime run(BankDatabase database, AccountBook book) throws InterruptedException {
        ProjectionRuntime runtime = ProjectionRuntime.builder(database.dataSource(), database.store()).build();
        runtime.register(new BalanceProjection(database.dataSource()));
        runtime.start();
        long head = database.store().head();
        long firstStarted = System.nanoTime();
        requireReached(runtime.awaitCheckpoint(BalanceProjection.NAME, head, CATCH_UP_LIMIT), "first build");
        report.note("rebuild: the first build (from start-up, untimed) took %.1f s",
                (System.nanoTime() - firstStarted) / 1e9);

        database.checkpoint();
        long started = System.nanoTime();
        runtime.reset(BalanceProjection.NAME);
        requireReached(runtime.awaitCheckpoint(BalanceProjection.NAME, head, CATCH_UP_LIMIT), "rebuild");
        long nanos = System.nanoTime() - started;
        report.figure("rebuild", head * 1e9 / nanos, "events/s");
        report.note("rebuild: %d events in %.2f s", head, nanos / 1e9);
        checkTable(database, book.totalBalance());
        return runtime;
    }

    /** The table must hold every account, its balance and its last version ({@code E/A} each). */
    void checkTable(BankDatabase database, long expectedSum) {
        report.check("account_balance.count", options.accounts(),
                database.queryLong("SELECT count(*) FROM account_balance"));
        report.check("account_balance.sum(balance)", expectedSum,
                database.queryLong("SELECT coalesce(sum(balance), 0) FROM account_balance"));
        report.check("account_balance.sum(version)", options.events(),
                database.queryLong("SELECT coalesce(sum(version), 0) FROM account_balance"));
    }

    private static void requireReached(CheckpointWait wait, String what) {
        if (!wait.reached()) {
            throw new IllegalStateException("the " + what + " of " + BalanceProjection.NAME + " did not reach the head"
                    + " within " + CATCH_UP_LIMIT + "; it stopped at offset " + wait.checkpoint());
        }
    }
}
