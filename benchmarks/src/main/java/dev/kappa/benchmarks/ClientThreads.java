package dev.kappa.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The write phase's clients: a number of threads, each owning a contiguous, disjoint slice of the accounts and
 * working through the first W events of its slice in the workload's order, round by round. Started together, timed
 * from the start to the last one's end.
 */
final class ClientThreads {

    /** One client's work, on its own thread. */
    @FunctionalInterface
    interface Client {
        void run(Slice slice) throws Exception;
    }

    /**
     * A client's accounts, {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param from     the first account
     * @param to       the account after the last
     * @param accounts A, every account of the workload
     * @param limit    how many events of the workload's order are sent in all (W for the write phase)
     */
    record Slice(int from, int to, int accounts, int limit) {

        /** Calls {@code each} with the slice's account of every one of the first W events, in their order. */
        void forEachEvent(AccountAction each) throws Exception {
            for (int round = 0; (long) round * accounts < limit; round++) {
                for (int account = from; account < to; account++) {
                    if ((long) round * accounts + account >= limit) {
                        return;
                    }
                    each.accept(account);
                }
            }
        }
    }

    /** What a client does for one event of an account. */
    @FunctionalInterface
    interface AccountAction {
        void accept(int account) throws Exception;
    }

    private ClientThreads() {
    }

    /** Runs the clients over the first W events; returns the nanoseconds they took, or throws the first failure. */
    static long run(BenchmarkOptions options, String name, Client client) throws InterruptedException {
        return run(options, options.writeEvents(), name, client);
    }

    /**
     * Runs the clients over the first {@code limit} places of the workload's round-robin order (every account once,
     * then every account again, …); what a place sends is the client's choice — the write phase's clients send the
     * account's next event from their {@link AccountBook}, wherever it stands. Returns the nanoseconds they took, or
     * throws the first failure.
     */
    static long run(BenchmarkOptions options, int limit, String name, Client client) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < options.writeThreads(); t++) {
            Slice slice = new Slice((int) ((long) options.accounts() * t / options.writeThreads()),
                    (int) ((long) options.accounts() * (t + 1) / options.writeThreads()), options.accounts(),
                    limit);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    client.run(slice);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, name + "-" + t);
            threads.add(thread);
            thread.start();
        }
        long started = System.nanoTime();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long nanos = System.nanoTime() - started;
        if (failure.get() != null) {
            throw new IllegalStateException("a " + name + " client failed: " + failure.get(), failure.get());
        }
        return nanos;
    }
}
