package dev.kappa.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.kappa.benchmarks.Account.DepositMoney;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandResult;
import dev.kappa.projections.CheckpointWait;
import dev.kappa.projections.CheckpointWaits;

/**
 * Phase 4, latency: with {@link BalanceProjection} running live, deposits through the command gateway from one
 * thread, at most {@code latencyRate} a second, one account after another. For each, the time from the command's
 * successful return until its row in {@code account_balance} shows the command's version: the projection's
 * read-your-writes wait ({@code awaitCheckpoint}) returns once the database confirms the checkpoint has passed the
 * command's offset, and the checkpoint commits in the transaction that writes the row, so the row is visible by
 * then. The row is read afterwards, outside the timing, to check that it does show the version. Figures: p50 and
 * p99 in milliseconds.
 *
 * <p>The kafka-latency phase is the same measurement through the relay and the topic: the row is
 * {@link KafkaBalanceProjection}'s, whose positions commit with its rows, and {@code awaitCheckpoint} waits by log
 * offset there too.
 *
 * @param report     where the figures go
 * @param label      the phase's label, the prefix of its figures and checks
 * @param projection the projection whose row is awaited
 * @param table      its table
 * @param commands   the deposits sent
 * @param rate       the most deposits a second
 * @param accounts   the accounts deposited to, one after another
 */
record LatencyPhase(BenchmarkReport report, String label, String projection, String table, int commands, int rate,
                    int accounts) {

    private static final String ROW_VERSION = "SELECT version FROM %s WHERE account_id = ?";
    private static final Duration VISIBLE_LIMIT = Duration.ofSeconds(30);

    /** The workload's latency phase, on {@link BalanceProjection}. */
    static LatencyPhase onTheLog(BenchmarkOptions options, BenchmarkReport report) {
        return new LatencyPhase(report, "latency", BalanceProjection.NAME, BalanceProjection.TABLE,
                options.latencyCommands(), options.latencyRate(), options.accounts());
    }

    /** The kafka-latency phase, on {@link KafkaBalanceProjection}. */
    static LatencyPhase throughKafka(BenchmarkOptions options, BenchmarkReport report) {
        return new LatencyPhase(report, "kafka-latency", KafkaBalanceProjection.NAME, KafkaBalanceProjection.TABLE,
                options.kafkaLatencyCommands(), options.kafkaLatencyRate(), options.accounts());
    }

    /**
     * Sends the deposits and times each; then checks that the table's balances and versions grew by exactly what was
     * deposited, from {@code balanceBefore} and {@code versionsBefore}.
     */
    void run(BankDatabase database, CheckpointWaits runtime, long balanceBefore, long versionsBefore)
            throws InterruptedException, SQLException {
        // the rebuild before this phase leaves the read model's pages dirty and the checkpointer busy writing them:
        // as before every phase timed on the log, they are written out first, so that this phase's flushes do not
        // queue behind the last phase's writes
        database.checkpoint();
        long[] latencies = new long[commands];
        long deposited = 0;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        try (CommandGateway gateway = CommandGateway.builder(database.store()).aggregates(Account.class).build();
             Connection reader = database.dataSource().getConnection();
             PreparedStatement rowVersion = reader.prepareStatement(ROW_VERSION.formatted(table))) {
            long started = System.nanoTime();
            for (int k = 0; k < commands; k++) {
                long due = started + k * intervalNanos;
                long early = due - System.nanoTime();
                if (early > 0) {
                    LockSupport.parkNanos(early);
                }
                String accountId = Movement.accountId(k % accounts);
                long amount = 1 + k % 100;
                CommandResult result = gateway.sendAndWait(new DepositMoney(accountId, amount));
                long returned = System.nanoTime();
                awaitVisible(runtime, accountId, result);
                latencies[k] = System.nanoTime() - returned;
                requireRowVersion(rowVersion, accountId, result);
                deposited += amount;
            }
            long nanos = System.nanoTime() - started;
            Arrays.sort(latencies);
            report.figure(label + "-p50", percentile(latencies, 50) / 1e6, "ms");
            report.figure(label + "-p99", percentile(latencies, 99) / 1e6, "ms");
            report.note("%s: %d commands in %.1f s (%.0f/s); max %.2f ms", label, commands, nanos / 1e9,
                    commands * 1e9 / nanos, latencies[commands - 1] / 1e6);
        }
        report.check(label + "." + table + ".sum(balance)", balanceBefore + deposited,
                database.queryLong("SELECT coalesce(sum(balance), 0) FROM " + table));
        report.check(label + "." + table + ".sum(version)", versionsBefore + commands,
                database.queryLong("SELECT coalesce(sum(version), 0) FROM " + table));
        report.check(label + "." + table + ".count", accounts,
                database.queryLong("SELECT count(*) FROM " + table));
    }

    /** Waits for the projection to pass the command's last offset. */
    private void awaitVisible(CheckpointWaits runtime, String accountId, CommandResult result)
            throws InterruptedException {
        CheckpointWait wait = runtime.awaitCheckpoint(projection, result.lastOffset(), VISIBLE_LIMIT);
        if (!wait.reached()) {
            throw new IllegalStateException("the deposit to " + accountId + " at offset " + result.lastOffset()
                    + " did not reach " + table + " within " + VISIBLE_LIMIT + "; the projection is at "
                    + wait.checkpoint());
        }
    }

    /** The row must show the command's version once the wait has returned. */
    private void requireRowVersion(PreparedStatement rowVersion, String accountId, CommandResult result)
            throws SQLException {
        rowVersion.setString(1, accountId);
        try (ResultSet rs = rowVersion.executeQuery()) {
            long version = rs.next() ? rs.getLong(1) : 0;
            if (version < result.version()) {
                throw new IllegalStateException(table + " shows version " + version + " of " + accountId
                        + " after the projection passed offset " + result.lastOffset() + ", not "
                        + result.version());
            }
        }
    }

    /** The nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
