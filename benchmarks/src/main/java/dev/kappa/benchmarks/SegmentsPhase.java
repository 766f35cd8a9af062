package dev.kappa.benchmarks;

import java.time.Duration;
import java.util.List;

import dev.kappa.projections.CheckpointWait;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.SegmentStatus;

/**
 * Beyond the workload: the rebuild of {@link BalanceProjection} with its log split into 1, 2 and 4 segments on one
 * instance (figure: events per second, from the reset call to caught-up, as in the rebuild phase), then with 4
 * segments shared by two instances, two each (figure: the records each instance's workers read, as a share of the
 * log). Every instance reads the log through a {@link CountingReader}, so each rebuild also says how many records
 * its workers fetched: with N segments reading the whole log each, N times the log.
 */
record SegmentsPhase(BenchmarkOptions options, BenchmarkReport report) {

    private static final int[] SEGMENT_COUNTS = {1, 2, 4};
    private static final int SHARED_SEGMENTS = 4;
    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(30);
    /**
     * Short, so that the second instance gets its share of the segments within seconds, yet well above the time a
     * batch takes on a loaded machine: a lease that ran out under a batch would hand the segment over mid-rebuild and
     * have the batch read again.
     */
    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration BALANCE_LIMIT = Duration.ofSeconds(120);

    /**
     * Runs the rebuilds on the store bulk-append filled (and the later phases added to).
     *
     * @param expectedBalance what {@code account_balance}'s balances must add up to for the log as it is
     */
    void run(BankDatabase database, long expectedBalance) throws InterruptedException {
        long head = database.store().head();
        for (int segments : SEGMENT_COUNTS) {
            CountingReader reader = new CountingReader(database.store());
            try (ProjectionRuntime runtime = runtime(database, reader, segments, "bench-a")) {
                runtime.start();
                requireReached(runtime.awaitCheckpoint(BalanceProjection.NAME, head, CATCH_UP_LIMIT),
                        "catch-up before the rebuild with " + segments + " segments");
                database.checkpoint();
                reader.takeCount();
                long started = System.nanoTime();
                runtime.reset(BalanceProjection.NAME);
                requireReached(runtime.awaitCheckpoint(BalanceProjection.NAME, head, CATCH_UP_LIMIT),
                        "rebuild with " + segments + " segments");
                long nanos = System.nanoTime() - started;
                long read = reader.takeCount();
                report.figure("rebuild-" + segments + "-segments", head * 1e9 / nanos, "events/s");
                report.note("rebuild, %d segments, one instance: %d events in %.2f s; its workers read %d records,"
                        + " %.2f times the log", segments, head, nanos / 1e9, read, read / (double) head);
            }
            checkTable(database, "rebuild-" + segments + "-segments", head, expectedBalance);
        }
        twoInstances(database, head, expectedBalance);
    }

    /** Two instances share 4 segments, two each; one resets the projection and both rebuild their halves. */
    private void twoInstances(BankDatabase database, long head, long expectedBalance) throws InterruptedException {
        CountingReader readerA = new CountingReader(database.store());
        CountingReader readerB = new CountingReader(database.store());
        try (ProjectionRuntime a = runtime(database, readerA, SHARED_SEGMENTS, "bench-a");
             ProjectionRuntime b = runtime(database, readerB, SHARED_SEGMENTS, "bench-b")) {
            a.start();
            requireReached(a.awaitCheckpoint(BalanceProjection.NAME, head, CATCH_UP_LIMIT),
                    "catch-up before the two-instance rebuild");
            b.start();
            awaitBalanced(a);
            database.checkpoint();
            readerA.takeCount();
            readerB.takeCount();
            long started = System.nanoTime();
            a.reset(BalanceProjection.NAME);
            requireReached(a.awaitCheckpoint(BalanceProjection.NAME, head, CATCH_UP_LIMIT),
                    "two-instance rebuild");
            long nanos = System.nanoTime() - started;
            long readA = readerA.takeCount();
            long readB = readerB.takeCount();
            report.figure("rebuild-4-segments-2-instances", head * 1e9 / nanos, "events/s");
            report.figure("rebuild-4-segments-2-instances-read-per-instance", (readA + readB) / 2.0 / head,
                    "log-sizes");
            report.note("rebuild, 4 segments, two instances: %d events in %.2f s; instance a read %d records (%.2f"
                    + " times the log), instance b %d (%.2f times); owners %s", head, nanos / 1e9, readA,
                    readA / (double) head, readB, readB / (double) head, owners(a));
        }
        checkTable(database, "rebuild-4-segments-2-instances", head, expectedBalance);
    }

    private ProjectionRuntime runtime(BankDatabase database, CountingReader reader, int segments, String instance) {
        ProjectionRuntime runtime = ProjectionRuntime.builder(database.dataSource(), reader, database.store(),
                        database.store().codec())
                .defaultSegments(segments).instanceId(instance).leaseDuration(LEASE).build();
        runtime.register(new BalanceProjection(database.dataSource()));
        return runtime;
    }

    /** Waits until each instance holds half the segments: the second takes its share at the first's renewals. */
    private void awaitBalanced(ProjectionRuntime runtime) throws InterruptedException {
        long deadline = System.nanoTime() + BALANCE_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> owners = owners(runtime);
            if (owners.size() == SHARED_SEGMENTS && owners.stream().filter("bench-a"::equals).count() == 2
                    && owners.stream().filter("bench-b"::equals).count() == 2) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the two instances did not share the 4 segments two and two within "
                + BALANCE_LIMIT + "; owners: " + owners(runtime));
    }

    private static List<String> owners(ProjectionRuntime runtime) {
        return runtime.status(BalanceProjection.NAME).segments().stream().map(SegmentStatus::owner)
                .map(String::valueOf).toList();
    }

    private void checkTable(BankDatabase database, String what, long head, long expectedBalance) {
        report.check(what + ".account_balance.count", options.accounts(),
                database.queryLong("SELECT count(*) FROM account_balance"));
        report.check(what + ".account_balance.sum(balance)", expectedBalance,
                database.queryLong("SELECT coalesce(sum(balance), 0) FROM account_balance"));
        report.check(what + ".account_balance.sum(version)", head,
                database.queryLong("SELECT coalesce(sum(version), 0) FROM account_balance"));
    }

    private static void requireReached(CheckpointWait wait, String what) {
        if (!wait.reached()) {
            throw new IllegalStateException("the " + what + " of " + BalanceProjection.NAME + " did not reach the"
                    + " head within " + CATCH_UP_LIMIT + "; it stopped at offset " + wait.checkpoint());
        }
    }
}
