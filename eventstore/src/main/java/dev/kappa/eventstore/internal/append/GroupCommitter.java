package dev.kappa.eventstore.internal.append;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

import io.micrometer.observation.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.AppendOutcomeUnknownException;
import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.internal.ConnectionFailures;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Coalesces concurrent append calls into one transaction, and so one WAL flush: the source of write throughput.
 *
 * <p>Callers put prepared appends on a bounded queue; one writer thread takes whatever is waiting (up to the batch
 * limits), writes it with {@link LogWriter} and commits. Appends that arrive while a commit is in flight form the next
 * batch, so batches grow with load by themselves; when fewer are waiting than the last batch held, the writer gives
 * the callers it just answered a moment to come back (see {@code collectBatch}). Each caller still gets its own
 * outcome: a version conflict rejects only its own append, and a database error in one append is isolated by writing
 * the batch's appends one by one.
 *
 * <p>The writer remembers the versions of the streams it committed ({@link KnownStreamVersions}), so that a batch on
 * streams it knows is written in one statement (see {@link LogWriter}). A small one is sent in auto-commit, so the
 * statement commits itself: one round trip per batch. If the connection is lost while such a statement runs, the
 * writer ends that session and looks whether the batch landed before it answers or retries. So that a session the
 * server ended while the writer was idle is not mistaken for one cut off mid-statement, the writer checks its
 * connection before the first batch after a pause.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread; everything else runs on the writer thread, which
 * owns one connection.
 */
final class GroupCommitter {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
    private static final long QUEUE_WAIT_SECONDS = 60;
    /** Streams whose versions the writer remembers: a few MiB at most, and more than most applications touch. */
    private static final int KNOWN_STREAMS = 100_000;
    /** Without a linger, the writer waits at most this fraction of the last commit's time for its callers' return. */
    private static final int REFILL_FRACTION = 4;
    /**
     * After this long without a batch the writer makes sure its connection still answers before it writes on it: the
     * server may have ended the session meanwhile. Under load the writer is never idle that long.
     */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;
    private final StoreSettings settings;
    private final LogWriter writer = new LogWriter();
    private final KnownStreamVersions known = new KnownStreamVersions(KNOWN_STREAMS);
    private final LongConsumer committed;
    private final AppendObservations observations;
    /** The appends of the last batch committed, and how long its transaction took: the refill wait's measure. */
    private int lastBatchAppends;
    private long lastCommitNanos;
    private final BlockingQueue<PendingAppend> queue;
    private final Thread thread;
    private volatile boolean running = true;
    /** Taken from the queue but too large for the batch being collected: it heads the next one. */
    private PendingAppend carried;
    private Connection connection;
    /** When the writer last finished a batch on {@link #connection}, or got it ({@link System#nanoTime()}). */
    private long lastUsedNanos;
    /** The session of {@link #connection}, or {@code null}. */
    private WriterSession session;
    /** Whether the last attempt to get a connection failed: logged once, until a batch commits again. */
    private boolean databaseUnavailable;
    /** The batch the writer has in hand, for {@link #close()} to answer if the writer does not finish it in time. */
    private volatile List<PendingAppend> inHand = List.of();

    /**
     * @param committed told the new head after each commit, on the writer thread, before the callers are: followers
     *                  in this process are woken at once instead of by PostgreSQL's notification, which comes later
     */
    GroupCommitter(DataSource dataSource, StoreSettings settings, LongConsumer committed, AppendObservations observed) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.committed = committed;
        this.observations = observed;
        this.queue = new ArrayBlockingQueue<>(settings.maxQueuedAppends());
        this.thread = new Thread(this::run, "kappa-log-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues an append, observed by {@code observation} or {@code null}; its future completes once committed. */
    PendingAppend submit(PreparedAppend append, Observation observation) {
        PendingAppend pending = new PendingAppend(append, observation);
        if (!running) {
            throw new IllegalStateException("the event store is closed; nothing was appended to " + append.describe());
        }
        try {
            if (!queue.offer(pending, QUEUE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new EventStoreException("the append queue stayed full for " + QUEUE_WAIT_SECONDS
                        + "s: the database is not keeping up; nothing was appended to " + append.describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreException("interrupted while waiting for room in the append queue; nothing was"
                    + " appended to " + append.describe(), e);
        }
        if (!running && queue.remove(pending)) {
            // closed while we were queueing: the writer may already have gone
            throw new IllegalStateException("the event store is closed; nothing was appended to " + append.describe());
        }
        return pending;
    }

    /**
     * Stops taking appends, commits those already queued, then ends the writer thread; waits for it at most
     * {@code wait}, whatever the database does. An append the writer still has in hand then has an unknown outcome.
     */
    void close(Duration wait) {
        running = false;
        try {
            thread.join(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("the log writer did not finish within {} of closing (the database does not answer); the appends"
                    + " it has in hand may or may not be written", wait);
            for (PendingAppend pending : inHand) {
                pending.result().completeExceptionally(new AppendOutcomeUnknownException("the event store closed"
                        + " while the append to " + pending.append().describe() + " was being written; it may or may"
                        + " not have been written: read the stream before retrying", null));
            }
        }
        PendingAppend left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException(
                    "the event store closed before this append was written; nothing was appended to "
                            + left.append().describe()));
        }
    }

    private void run() {
        log.debug("log writer started");
        while (running || carried != null || !queue.isEmpty()) {
            try {
                PendingAppend first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
                carried = null;
                if (first != null) {
                    List<PendingAppend> batch = collectBatch(first);
                    inHand = batch;
                    dropConnectionIfDeadAfterIdle();
                    observations.groupCommit(batch, appends -> commit(appends, true));
                    lastUsedNanos = System.nanoTime();
                    inHand = List.of();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeConnection();
        log.debug("log writer stopped");
    }

    private List<PendingAppend> collectBatch(PendingAppend first) throws InterruptedException {
        List<PendingAppend> batch = new ArrayList<>();
        batch.add(first);
        int events = first.append().eventCount();
        long lingerNanos = settings.batchLinger().toNanos();
        int returning = 0;
        if (lingerNanos == 0 && lastBatchAppends > 1) {
            // The callers the last commit answered mostly come straight back with their next append, but a moment
            // later than this thread: give them a quarter of that commit's time to join, so that they share the next
            // transaction instead of waiting for the one after it. A lone caller (a batch of one) never waits.
            returning = lastBatchAppends;
            lingerNanos = lastCommitNanos / REFILL_FRACTION;
        }
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < settings.maxBatchAppends()) {
            PendingAppend next = queue.poll();
            if (next == null && lingerNanos > 0 && (returning == 0 || batch.size() < returning)) {
                long remaining = deadline - System.nanoTime();
                if (remaining > 0) {
                    next = queue.poll(remaining, TimeUnit.NANOSECONDS);
                }
            }
            if (next == null) {
                break;
            }
            if (events + next.append().eventCount() > settings.maxBatchEvents()) {
                carried = next;
                break;
            }
            batch.add(next);
            events += next.append().eventCount();
        }
        return batch;
    }

    /**
     * A connection the server ended while the writer had nothing to do (a restart or shutdown, an idle timeout, an
     * administrator) fails only once a statement is sent on it, as if the statement were cut off mid-way: a batch sent
     * in one self-committing statement would then have an unknown outcome while the database is down, although
     * nothing was written. So after idleness one round trip checks the connection first, and a dead one is replaced
     * (or, if none can be had, the batch fails as unavailable, with nothing written). Busy, the writer never pays it.
     */
    private void dropConnectionIfDeadAfterIdle() {
        if (connection == null || System.nanoTime() - lastUsedNanos < IDLE_CHECK_NANOS) {
            return;
        }
        boolean alive;
        try {
            alive = connection.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            alive = false;
        }
        if (!alive) {
            log.info("the log writer's connection was ended while it was idle; it takes a new one");
            closeConnection();
        }
    }

    private void commit(List<PendingAppend> batch, boolean mayRetryLostConnection) {
        long started = System.nanoTime();
        WrittenBatch written;
        boolean committedByItself = false;
        SelfCommit inFlight = null;
        Connection c = null;
        try {
            try {
                c = connection();
            } catch (SQLException e) {
                unavailable(batch, e);
                return;
            }
            List<PreparedAppend> appends = appendsOf(batch);
            PlannedWrite plan = plan(appends);
            if (plan != null && session != null && !plan.rows().copies(c)) {
                // one statement that is its own transaction: no COMMIT round trip
                inFlight = new SelfCommit(plan, session);
                committedByItself = writeCommitting(c, plan);
                inFlight = null;
                written = committedByItself ? plan.batch() : write(c, appends, null);
            } else {
                written = write(c, appends, plan);
            }
        } catch (RuntimeException e) {
            // a bug, not a database answer: fail the callers rather than leave them waiting forever
            known.forget();
            rollbackQuietly(c);
            log.error("log writer failed unexpectedly; the batch was rolled back", e);
            for (PendingAppend pending : batch) {
                pending.result().completeExceptionally(new EventStoreException("could not append to "
                        + pending.append().describe() + ": " + e + "; nothing was written", e));
            }
            return;
        } catch (SQLException e) {
            known.forget();
            rollbackQuietly(c);
            if (ConnectionFailures.isConnectionLost(e, c)) {
                closeConnection();
                if (inFlight != null && !ConnectionFailures.sentNothing(e)) {
                    lostWhileCommitting(batch, inFlight, e, mayRetryLostConnection, started);
                } else if (mayRetryLostConnection) {
                    // the transaction died with its connection, so nothing of it was committed: retrying is safe
                    log.warn("lost the database connection while appending ({}); retrying the batch once on a new"
                            + " connection", e.getMessage());
                    commit(batch, false);
                } else {
                    failAll(batch, e, "the database connection was lost while appending (" + e.getMessage()
                            + "); nothing was written, so it is safe to retry");
                }
                return;
            }
            isolate(batch, e);
            return;
        }
        if (!committedByItself) {
            try {
                c.commit();
            } catch (SQLException e) {
                known.forget();
                if (ConnectionFailures.isConnectionLost(e, c)) {
                    closeConnection();
                    failUnknown(batch, e);
                    return;
                }
                rollbackQuietly(c);
                isolate(batch, e);
                return;
            }
        }
        succeeded(batch, written, started);
    }

    /**
     * No connection could be had: the database is unavailable. The batch fails at once, and so does every append queued
     * meanwhile, which would only wait as long again for the same answer; nothing of them was written.
     */
    private void unavailable(List<PendingAppend> batch, SQLException cause) {
        known.forget();
        if (!databaseUnavailable) {
            databaseUnavailable = true;
            log.warn("the log writer cannot get a database connection ({}); appends fail until the database answers",
                    cause.getMessage());
        }
        List<PendingAppend> failed = new ArrayList<>(batch);
        if (carried != null) {
            failed.add(carried);
            carried = null;
        }
        queue.drainTo(failed);
        for (PendingAppend pending : failed) {
            pending.result().completeExceptionally(new EventStoreException("could not append to "
                    + pending.append().describe() + ": the database is unavailable (" + cause.getMessage()
                    + "); nothing was written, so it is safe to retry", cause));
        }
    }

    /** The batch is committed: remember its versions, wake this process's followers, answer the callers. */
    private void succeeded(List<PendingAppend> batch, WrittenBatch written, long started) {
        if (databaseUnavailable) {
            databaseUnavailable = false;
            log.info("the log writer has a database connection again; appends are written");
        }
        lastBatchAppends = batch.size();
        lastCommitNanos = System.nanoTime() - started;
        known.committed(written);
        if (written.headAfter() > written.headBefore()) {
            committed.accept(written.headAfter());
        }
        List<AppendOutcome> outcomes = written.outcomes();
        settings.observer().batchCommitted(batch.size(), eventsWritten(outcomes), System.nanoTime() - started);
        for (int i = 0; i < batch.size(); i++) {
            AppendOutcome outcome = outcomes.get(i);
            PendingAppend pending = batch.get(i);
            if (outcome.refusal() != null) {
                pending.result().completeExceptionally(outcome.refusal());
            } else {
                pending.result().complete(outcome.toResult());
            }
        }
    }

    /** The fast path's plan when the versions of all the batch's streams are known, else {@code null}. */
    private PlannedWrite plan(List<PreparedAppend> appends) {
        Map<String, Long> versions = known.versionsOf(appends);
        return versions == null ? null : writer.planAtKnownHead(appends, known.head(), versions);
    }

    /**
     * Writes the plan in one statement in auto-commit, so that the statement commits itself. Returns whether it
     * wrote (and so committed); if the head had moved it wrote nothing, and the connection is back in a transaction.
     */
    private boolean writeCommitting(Connection c, PlannedWrite plan) throws SQLException {
        c.setAutoCommit(true);
        boolean wrote;
        try {
            wrote = writer.writePlanned(c, plan);
        } catch (SQLException | RuntimeException e) {
            try {
                c.setAutoCommit(false);
            } catch (SQLException ignored) {
                // the connection is broken: the failure at hand says so already
            }
            throw e;
        }
        c.setAutoCommit(false);
        return wrote;
    }

    /**
     * Writes in the connection's transaction: the plan if there is one (on the head it expects), else, or if the head
     * has moved since, on the full path.
     */
    private WrittenBatch write(Connection c, List<PreparedAppend> appends, PlannedWrite plan) throws SQLException {
        if (plan != null && writer.writePlanned(c, plan)) {
            return plan.batch();
        }
        return writer.write(c, appends);
    }

    /**
     * The connection was lost while a statement that commits by itself was out: it may have committed. End the session
     * that ran it, if it still runs, so that the answer cannot change, and look: if the batch landed the callers get
     * their results; if not it is retried (once), as any batch that died with its connection; if the database cannot
     * be asked, its outcome is unknown.
     */
    private void lostWhileCommitting(List<PendingAppend> batch, SelfCommit lost, SQLException failure,
                                     boolean mayRetry, long started) {
        switch (landed(lost)) {
            case UNKNOWN -> failUnknown(batch, failure);
            case YES -> {
                log.warn("lost the database connection while appending ({}); the batch had been committed",
                        failure.getMessage());
                succeeded(batch, lost.plan().batch(), started);
            }
            case NO -> {
                if (mayRetry) {
                    log.warn("lost the database connection while appending ({}); nothing was committed, retrying the"
                            + " batch once on a new connection", failure.getMessage());
                    commit(batch, false);
                } else {
                    failAll(batch, failure, "the database connection was lost while appending ("
                            + failure.getMessage() + "); nothing was written, so it is safe to retry");
                }
            }
        }
    }

    /** Whether the lost statement's batch is in the log, once the session that sent it is surely gone. */
    private Landed landed(SelfCommit lost) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!lost.session().endFrom(c)) {
                return Landed.UNKNOWN;
            }
            return writer.landed(c, lost.plan()) ? Landed.YES : Landed.NO;
        } catch (SQLException e) {
            log.warn("could not find out whether a batch cut off with its connection was committed: {}",
                    e.getMessage());
            return Landed.UNKNOWN;
        }
    }

    private enum Landed { YES, NO, UNKNOWN }

    /** A statement that commits by itself, sent on this session. */
    private record SelfCommit(PlannedWrite plan, WriterSession session) {
    }

    private static void failUnknown(List<PendingAppend> batch, SQLException cause) {
        for (PendingAppend pending : batch) {
            pending.result().completeExceptionally(new AppendOutcomeUnknownException(
                    "the database connection was lost while committing the append to "
                            + pending.append().describe() + " (" + cause.getMessage() + "); it may or may not"
                            + " have been written: read the stream before retrying", cause));
        }
    }

    /**
     * One append broke the batch's transaction. Split the batch in halves and write each, recursively, so that only
     * the culprit fails and the rest still share as few transactions as possible.
     */
    private void isolate(List<PendingAppend> batch, SQLException failure) {
        if (batch.size() == 1) {
            PendingAppend pending = batch.get(0);
            pending.result().completeExceptionally(new EventStoreException("could not append to "
                    + pending.append().describe() + ": " + failure.getMessage() + "; nothing was written", failure));
            return;
        }
        log.debug("a batch of {} appends failed ({}); writing it in halves", batch.size(), failure.getMessage());
        int half = batch.size() / 2;
        commit(batch.subList(0, half), true);
        commit(batch.subList(half, batch.size()), true);
    }

    private static int eventsWritten(List<AppendOutcome> outcomes) {
        int events = 0;
        for (AppendOutcome outcome : outcomes) {
            if (outcome.refusal() == null && !outcome.alreadyAppended()) {
                for (AppendResult result : outcome.results()) {
                    events += result.eventCount();
                }
            }
        }
        return events;
    }

    private static List<PreparedAppend> appendsOf(List<PendingAppend> batch) {
        List<PreparedAppend> appends = new ArrayList<>(batch.size());
        for (PendingAppend pending : batch) {
            appends.add(pending.append());
        }
        return appends;
    }

    private static void failAll(List<PendingAppend> batch, SQLException cause, String message) {
        for (PendingAppend pending : batch) {
            pending.result().completeExceptionally(new EventStoreException(
                    "could not append to " + pending.append().describe() + ": " + message, cause));
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection fresh = dataSource.getConnection();
            try {
                prepare(fresh);
            } catch (SQLException e) {
                ConnectionFailures.closeQuietly(fresh);
                if (!DatabaseFailures.endsSession(e)) {
                    throw e;
                }
                // a pool may hand out a connection that died while idle in it (as the one just dropped may have,
                // and the pool now knows it dead): one more, which is live if the database answers at all
                fresh = dataSource.getConnection();
                try {
                    prepare(fresh);
                } catch (SQLException again) {
                    ConnectionFailures.closeQuietly(fresh);
                    throw again;
                }
            }
            connection = fresh;
            lastUsedNanos = System.nanoTime();
        }
        return connection;
    }

    private void prepare(Connection fresh) throws SQLException {
        session = null;
        fresh.setAutoCommit(true);
        session = WriterSession.of(fresh);
        fresh.setAutoCommit(false);
        // LogWriter reads stream versions in a statement after taking the head lock, and relies on that statement
        // seeing every commit made before the lock was granted, as only READ COMMITTED guarantees
        fresh.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }

    private static void rollbackQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken or the transaction already gone; either way nothing was committed
        }
    }

    private void closeConnection() {
        ConnectionFailures.closeQuietly(connection);
        connection = null;
        session = null;
    }
}
