package dev.kappa.benchmarks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.LongAdder;

import dev.kappa.benchmarks.AccountEvent.ProfileChanged;
import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.CompactionResult;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.eventstore.StreamAppend;
import dev.kappa.framework.CommandGateway;

/**
 * Beyond the workload, after its phases, on a database of its own: compaction of a log of E records, alone and beside
 * the write phase's load.
 *
 * <p>The log is the workload's, interleaved the same way, but one round in ten (rounds 5, 15, 25, …) records a
 * holder's profile instead of a money event: a {@link ProfileChanged} in the account's profile stream
 * ({@code profile-acc-00042}), keyed {@code profile:acc-00042/<holder>}. An account's profile records come in pairs,
 * one holder each (the holder is added, then their details change), so 10% of the records are keyed and half of
 * those — 5% of the log — are superseded. The account streams hold only the workload's events, so the
 * {@link Account} aggregate never meets a compacted stream.
 *
 * <ol>
 *   <li>{@code compaction}: {@code compactor().compact()} over the whole log, alone. Figure: records removed per
 *       second. The removed count must be the superseded count exactly, and the log must still hold every unkeyed
 *       record and, per key, exactly one record, its latest.</li>
 *   <li>{@code compaction-write-alone}: the write phase's load (its 8 client threads, its gateway, the workload's next
 *       commands in its round-robin order) for W/8 commands, after one untimed command for each account the runs
 *       use (all A at the workload's sizes) has loaded its aggregate. Figure: commands per second.</li>
 *   <li>One more profile record for every holder (a fresh superseded set, 5% of E again), then {@code
 *       compaction-write-during}: W/8 more commands while a compaction of that set runs, started as the clients
 *       start. Figures: the commands per second while the compaction ran (the whole write's if it outlasted the
 *       write or ran too briefly to time), and {@code compaction-under-write}, the compaction's records removed per
 *       second.</li>
 * </ol>
 *
 * <p>Checked: what each compaction removed, the log's keyed and unkeyed records after each, and the balances the
 * log's money events add up to.
 */
record CompactionPhase(BenchmarkOptions options, BenchmarkReport report) {

    /** The phase's own database, so that the workload's log stays as its phases left it. */
    static final String DATABASE = "bank_compaction";

    /** One round in this many records the holders' profiles instead of money: 10% of the log is keyed. */
    private static final int ROUNDS_PER_PROFILE = 10;
    /** Which round of each ten is the profiles' (round 0 opens the accounts). */
    private static final int PROFILE_ROUND = 5;
    /** Each holder's profile is recorded twice: half the keyed records are superseded. */
    private static final int RECORDS_PER_HOLDER = 2;
    /** Each write run sends this share of W. */
    private static final int WRITE_SHARE = 8;

    private static final String UNKEYED = "SELECT count(*) FROM kappa_log WHERE compaction_key IS NULL";
    private static final String KEYED = "SELECT count(*) FROM kappa_log WHERE compaction_key IS NOT NULL";
    private static final String KEYS = """
            SELECT count(DISTINCT compaction_key) FROM kappa_log WHERE compaction_key IS NOT NULL""";
    /* With one record per key left, the revisions sum to the latest ones' only if every record left is its key's latest. */
    private static final String REVISIONS = """
            SELECT coalesce(sum((payload ->> 'revision')::bigint), 0) FROM kappa_log WHERE compaction_key IS NOT NULL""";

    void run(BankDatabase database) throws Exception {
        long phaseStarted = System.nanoTime();
        EventStore store = database.store();
        Shape shape = new Shape(options);
        AccountBook book = new AccountBook(options.accounts());
        fill(store, shape, book);
        report.note("compaction: a log of %d records, %d keyed (%.1f%%) under %d keys, %d superseded (%.1f%%), filled"
                        + " in %.1f s", options.events(), shape.keyed(), 100.0 * shape.keyed() / options.events(),
                shape.keys(), shape.superseded(), 100.0 * shape.superseded() / options.events(),
                (System.nanoTime() - phaseStarted) / 1e9);

        database.checkpoint();
        long started = System.nanoTime();
        CompactionResult alone = store.compactor().compact();
        long nanos = System.nanoTime() - started;
        report.figure("compaction", alone.supersededRemoved() * 1e9 / nanos, "records/s");
        report.note("compaction: %d records removed in %.2f s, the log compacted through offset %d",
                alone.supersededRemoved(), nanos / 1e9, alone.compactedThrough());
        report.check("compaction.removed", shape.superseded(), alone.supersededRemoved());
        checkLog(database, "compaction", options.events() - shape.keyed(), shape.keys(), shape.superseded());

        int commands = Math.max(1, options.writeEvents() / WRITE_SHARE);
        try (CommandGateway gateway = WritePhase.gateway(store)) {
            // the aggregates the timed runs use loaded once, untimed, so that both runs find the same cache (and the
            // code compiled, when this phase runs alone)
            ClientThreads.run(options, Math.min(options.accounts(), commands), "bench-compaction-warm",
                    WritePhase.clients(gateway, book, new LongAdder()));
            database.checkpoint();
            long aloneNanos = ClientThreads.run(options, commands, "bench-compaction-client",
                    WritePhase.clients(gateway, book, new LongAdder()));
            report.figure("compaction-write-alone", commands * 1e9 / aloneNanos, "commands/s");
            report.note("compaction-write-alone: %d commands from %d threads in %.2f s", commands,
                    options.writeThreads(), aloneNanos / 1e9);

            supersedeEveryKey(store, shape);
            database.checkpoint();
            writeDuringCompaction(store, gateway, book, commands, shape, commands * 1e9 / aloneNanos);
        }
        long writes = Math.min(options.accounts(), commands) + 2L * commands;
        checkLog(database, "compaction.after-write", options.events() - shape.keyed() + writes, shape.keys(),
                shape.keyed());
        report.check("compaction.sum(balance)", book.totalBalance(), database.queryLong(WritePhase.LOG_BALANCE));
        report.note("compaction: the phase took %.1f s in all", (System.nanoTime() - phaseStarted) / 1e9);
    }

    /** The log: the workload's rounds, with every tenth round (from the sixth) the holders' profiles instead. */
    private void fill(EventStore store, Shape shape, AccountBook book) {
        Batches batches = new Batches(store, options.appendBatch());
        for (int round = 0; round < options.eventsPerAccount(); round++) {
            for (int account = 0; account < options.accounts(); account++) {
                if (round % ROUNDS_PER_PROFILE == PROFILE_ROUND) {
                    int record = round / ROUNDS_PER_PROFILE;
                    batches.add(profile(account, record / RECORDS_PER_HOLDER, record % RECORDS_PER_HOLDER, record));
                } else {
                    Movement movement = book.next(account);
                    batches.add(StreamAppend.of(Account.streamId(movement.accountId()),
                            ExpectedVersion.exactly(movement.index()), NewEvent.of(movement.event())));
                }
            }
        }
        batches.flush();
    }

    /** One more profile record for every holder, holder by holder across the accounts: each supersedes one. */
    private void supersedeEveryKey(EventStore store, Shape shape) {
        Batches batches = new Batches(store, options.appendBatch());
        for (int holder = 0; holder < shape.holdersPerAccount(); holder++) {
            for (int account = 0; account < options.accounts(); account++) {
                batches.add(profile(account, holder, shape.recordsOf(holder), shape.profilesPerAccount() + holder));
            }
        }
        batches.flush();
    }

    /**
     * The write runs again, and as its clients start a compaction of the fresh set starts beside them. The write's
     * figure counts the commands that returned while the compaction ran, over the time both ran.
     */
    private void writeDuringCompaction(EventStore store, CommandGateway gateway, AccountBook book, int commands,
                                       Shape shape, double aloneRate) throws Exception {
        LongAdder sent = new LongAdder();
        CountDownLatch clientsStarted = new CountDownLatch(1);
        FutureTask<Overlap> compaction = new FutureTask<>(() -> {
            clientsStarted.await();
            long sentBefore = sent.sum();
            long started = System.nanoTime();
            CompactionResult result = store.compactor().compact();
            return new Overlap(result, started, System.nanoTime(), sentBefore, sent.sum());
        });
        Thread compactor = new Thread(compaction, "bench-compactor");
        compactor.start();
        ClientThreads.Client clients = WritePhase.clients(gateway, book, sent);
        long writeNanos;
        long writeEnded;
        try {
            writeNanos = ClientThreads.run(options, commands, "bench-compaction-client", slice -> {
                clientsStarted.countDown();
                clients.run(slice);
            });
            writeEnded = System.nanoTime();
        } finally {
            clientsStarted.countDown();
            compactor.join();
        }
        Overlap overlap;
        try {
            overlap = compaction.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the compaction beside the write failed: " + e.getCause(), e.getCause());
        }
        long from = Math.max(overlap.started(), writeEnded - writeNanos);
        long to = Math.min(overlap.ended(), writeEnded);
        long together = to - from;
        long sentTogether = overlap.sentAtEnd() - overlap.sentAtStart();
        // fewer commands than clients in the window (a compaction of a few milliseconds) time nothing: then the whole
        // write stands for it
        boolean timedWithin = together > 0 && sentTogether >= options.writeThreads();
        double duringRate = timedWithin ? sentTogether * 1e9 / together : commands * 1e9 / writeNanos;
        long compactionNanos = overlap.ended() - overlap.started();
        report.figure("compaction-write-during", duringRate, "commands/s");
        report.figure("compaction-under-write", overlap.result().supersededRemoved() * 1e9 / compactionNanos,
                "records/s");
        report.note("compaction-write-during: %d of the %d commands returned in the %.2f s the compaction ran beside"
                        + " them (%d records removed in %.2f s)%s: %.0f%% of the rate alone; the whole write: %.0f"
                        + " commands/s in %.2f s", sentTogether, commands, Math.max(0, together) / 1e9,
                overlap.result().supersededRemoved(), compactionNanos / 1e9,
                timedWithin ? "" : ", too few to time: the figure is the whole write's", 100 * duringRate / aloneRate,
                commands * 1e9 / writeNanos, writeNanos / 1e9);
        report.check("compaction.under-write.removed", shape.keys(), overlap.result().supersededRemoved());
    }

    /** Every unkeyed record is there, and per key exactly one record: the latest (their revisions add up). */
    private void checkLog(BankDatabase database, String what, long unkeyed, long keys, long latestRevisions) {
        report.check(what + ".unkeyed", unkeyed, database.queryLong(UNKEYED));
        report.check(what + ".keyed", keys, database.queryLong(KEYED));
        report.check(what + ".keys", keys, database.queryLong(KEYS));
        report.check(what + ".sum(revision)", latestRevisions, database.queryLong(REVISIONS));
    }

    /** Holder {@code holder}'s profile, its {@code revision}-th, as record {@code position} of the profile stream. */
    private static StreamAppend profile(int account, int holder, int revision, int position) {
        String accountId = Movement.accountId(account);
        ProfileChanged changed = new ProfileChanged(accountId, holder, revision,
                "holder-" + holder + "." + revision + "@" + accountId + ".example");
        return StreamAppend.of("profile-" + accountId, ExpectedVersion.exactly(position),
                NewEvent.of(changed).withCompactionKey("profile:" + accountId + "/" + holder));
    }

    /**
     * The log's keyed part, the same for every account: {@code profilesPerAccount} records, two per holder (the last
     * holder has one if the count is odd).
     */
    private record Shape(int accounts, int profilesPerAccount) {

        Shape(BenchmarkOptions options) {
            this(options.accounts(), (options.eventsPerAccount() + ROUNDS_PER_PROFILE - 1 - PROFILE_ROUND)
                    / ROUNDS_PER_PROFILE);
        }

        int holdersPerAccount() {
            return (profilesPerAccount + RECORDS_PER_HOLDER - 1) / RECORDS_PER_HOLDER;
        }

        /** How many records the holder's key has in the filled log. */
        int recordsOf(int holder) {
            return Math.min(RECORDS_PER_HOLDER, profilesPerAccount - holder * RECORDS_PER_HOLDER);
        }

        long keyed() {
            return (long) accounts * profilesPerAccount;
        }

        long keys() {
            return (long) accounts * holdersPerAccount();
        }

        long superseded() {
            return keyed() - keys();
        }
    }

    /** What the compaction beside the write did, and when, with the write's count of returned commands then. */
    private record Overlap(CompactionResult result, long started, long ended, long sentAtStart, long sentAtEnd) {
    }

    /**
     * Appends in requests of {@code size} records, as bulk-append does, but sooner where a stream would come twice (a
     * request holds one append per stream): with fewer accounts than {@code size}. Not thread-safe.
     */
    private static final class Batches {

        private final EventStore store;
        private final int size;
        private final List<StreamAppend> batch;
        private final Set<String> streams = new HashSet<>();

        Batches(EventStore store, int size) {
            this.store = store;
            this.size = size;
            this.batch = new ArrayList<>(size);
        }

        void add(StreamAppend append) {
            if (!streams.add(append.streamId())) {
                flush();
                streams.add(append.streamId());
            }
            batch.add(append);
            if (batch.size() == size) {
                flush();
            }
        }

        void flush() {
            if (!batch.isEmpty()) {
                store.append(AppendRequest.of(batch));
                batch.clear();
                streams.clear();
            }
        }
    }
}
