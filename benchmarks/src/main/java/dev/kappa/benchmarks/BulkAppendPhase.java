package dev.kappa.benchmarks;

import java.util.ArrayList;
import java.util.List;

import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.eventstore.StreamAppend;

/**
 * Phase 2, bulk-append: on an empty store, all E events straight to the event store, no aggregate loaded, in the
 * workload's interleaved order, 1,000 events per {@code append} request (one transaction across the 1,000 streams
 * they touch), from one thread. Each event is appended with the exact version its stream is at. Figure: events per
 * second.
 */
record BulkAppendPhase(BenchmarkOptions options, BenchmarkReport report) {

    /** Fills the store; returns the balances it adds up to, for the phases that read it back. */
    AccountBook run(BankDatabase database) {
        EventStore store = database.store();
        AccountBook book = new AccountBook(options.accounts());
        List<StreamAppend> batch = new ArrayList<>(options.appendBatch());
        database.checkpoint();
        long started = System.nanoTime();
        book.forEachInRounds(options.eventsPerAccount(), movement -> {
            batch.add(StreamAppend.of(Account.streamId(movement.accountId()),
                    ExpectedVersion.exactly(movement.index()), NewEvent.of(movement.event())));
            if (batch.size() == options.appendBatch()) {
                store.append(AppendRequest.of(batch));
                batch.clear();
            }
        });
        if (!batch.isEmpty()) {
            store.append(AppendRequest.of(batch));
        }
        long nanos = System.nanoTime() - started;
        report.figure("bulk-append", options.events() * 1e9 / nanos, "events/s");
        report.note("bulk-append: %d events in %.1f s; %s", options.events(), nanos / 1e9,
                database.batches().summary());
        report.check("bulk-append.head", options.events(), store.head());
        return book;
    }
}
