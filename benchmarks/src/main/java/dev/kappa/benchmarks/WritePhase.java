package dev.kappa.benchmarks;

import java.util.concurrent.atomic.LongAdder;

import dev.kappa.eventstore.EventStore;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.GatewayStatistics;

/**
 * Phase 1, write: on an empty store, the first W events of the workload as commands through the command gateway
 * (load the aggregate, decide, append with optimistic concurrency), from 8 client threads, each owning a contiguous,
 * disjoint slice of the accounts and sending one command at a time, in the workload's round-robin order. Figure:
 * commands per second, wall clock, whole phase.
 *
 * <p>Checked afterwards, from the log itself: W events, A streams, and the balances the workload says.
 */
record WritePhase(BenchmarkOptions options, BenchmarkReport report) {

    /** Sums the balances the log's events add up to, per the event types' meaning. */
    static final String LOG_BALANCE = """
            SELECT coalesce(sum(CASE event_type
                                    WHEN 'MoneyDeposited' THEN (payload ->> 'amount')::bigint
                                    WHEN 'MoneyWithdrawn' THEN -(payload ->> 'amount')::bigint
                                    ELSE 0 END), 0)
              FROM kappa_log""";

    void run(BankDatabase database) throws InterruptedException {
        AccountBook book = new AccountBook(options.accounts());
        try (CommandGateway gateway = gateway(database.store())) {
            long nanos = ClientThreads.run(options, "bench-client", clients(gateway, book, new LongAdder()));
            GatewayStatistics statistics = gateway.statistics();
            report.figure("write", options.writeEvents() * 1e9 / nanos, "commands/s");
            report.note("write: %d commands from %d threads in %.1f s; %s", options.writeEvents(),
                    options.writeThreads(), nanos / 1e9, database.batches().summary());
            report.note("write: %s", database.batches().cycle(nanos));
            report.note("write: gateway %d succeeded, %d failed, %d conflict retries, %d cache hits, %d misses",
                    statistics.commandsSucceeded(), statistics.commandsFailed(), statistics.conflictRetries(),
                    statistics.cacheHits(), statistics.cacheMisses());
        }
        report.check("write.events", options.writeEvents(), database.queryLong("SELECT count(*) FROM kappa_log"));
        report.check("write.accounts", Math.min(options.accounts(), options.writeEvents()),
                database.queryLong("SELECT count(*) FROM kappa_streams"));
        report.check("write.sum(balance)", book.totalBalance(), database.queryLong(LOG_BALANCE));
    }

    /** The gateway the phase sends through: the {@link Account} aggregate with the framework's defaults. */
    static CommandGateway gateway(EventStore store) {
        return CommandGateway.builder(store).aggregates(Account.class).build();
    }

    /**
     * The phase's clients: each sends the next command of its slice's accounts (from {@code book}) and waits for it,
     * one at a time; {@code sent} counts the commands that returned, for whoever watches the load from outside.
     */
    static ClientThreads.Client clients(CommandGateway gateway, AccountBook book, LongAdder sent) {
        return slice -> slice.forEachEvent(account -> {
            gateway.sendAndWait(book.next(account).command());
            sent.increment();
        });
    }
}
