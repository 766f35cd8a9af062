package dev.kappa.projections.internal.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.notify.NotificationListener;
import dev.kappa.projections.internal.checkpoint.CheckpointBoard;
import dev.kappa.projections.internal.segment.Notification;
import dev.kappa.projections.internal.segment.PostgresSegments;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.worker.SegmentWorker;
import dev.kappa.projections.internal.worker.WorkerEvents;

/**
 * What the runtime hears: its own workers' reports (on their threads), and, through a listener on the database's
 * channel, the commits and changes of every runtime on the database. Both move the {@link CheckpointBoard}, which
 * wakes waiters; a change nudges the workers here, so that they learn at once of a reset or a released lease.
 *
 * <p>Thread-safe.
 */
final class RuntimeEvents implements WorkerEvents {

    private static final Logger log = LoggerFactory.getLogger(RuntimeEvents.class);

    private final ProjectionRegistry registry;
    private final CheckpointBoard board;
    private final Maintenance maintenance;
    private final NotificationListener listener;

    RuntimeEvents(RuntimeSettings settings, ProjectionRegistry registry, CheckpointBoard board,
                  Maintenance maintenance) {
        this.registry = registry;
        this.board = board;
        this.maintenance = maintenance;
        // hears what workers of every runtime on the database commit: how a checkpoint wait is woken by a commit in
        // another process, and how a worker learns at once of a reset or a released lease
        this.listener = NotificationListener.builder(settings.dataSource())
                .channel(PostgresSegments.CHANNEL)
                .name("kappa-projections-listener")
                .clock(settings.clock())
                .onNotification((channel, payload) -> Notification.parse(payload).ifPresent(this::heard))
                .onConnectionChange(this::connectionChanged)
                .build();
    }

    /** Starts listening to other runtimes. */
    void listen() {
        listener.start();
    }

    /** Whether other runtimes' commits are heard now. */
    boolean listening() {
        return listener.isListening();
    }

    /** Stops listening. */
    void close() {
        listener.close();
    }

    @Override
    public void committed(SegmentKey key, long checkpoint) {
        board.committed(key.projection(), key.generation(), key.segment(), checkpoint);
    }

    @Override
    public void caughtUp(SegmentKey key) {
        ProjectionHandle handle = registry.find(key.projection());
        GenerationRun run = handle == null ? null : handle.run(key.generation()).orElse(null);
        if (run != null) {
            if (run.building()) {
                if (run.caughtUpHere() && registry.started()) {
                    maintenance.activateSoon(handle, run);
                }
            } else if (run.caughtUpHere() && run.firstCaughtUp()) {
                log.info("projection '{}' caught up with the log (generation {})", key.projection(),
                        key.generation());
            }
        }
        board.touch();
    }

    @Override
    public void changed(SegmentKey key) {
        board.invalidate(key.projection());
    }

    @Override
    public void gone(SegmentKey key) {
        board.invalidate(key.projection());
    }

    /** A notification from any runtime's commit or change. */
    private void heard(Notification notification) {
        ProjectionHandle handle = registry.find(notification.projection());
        if (handle == null) {
            return;
        }
        if (notification.checkpoint().isEmpty()) {
            board.invalidate(handle.name());
            handle.runs().forEach(run -> run.workers().forEach(SegmentWorker::nudge));
            return;
        }
        Notification.Committed committed = notification.checkpoint().get();
        SegmentWorker local = handle.run(committed.generation()).map(run -> run.worker(committed.segment()))
                .orElse(null);
        // this runtime's own workers report their commits directly, and in order
        if (local == null || !local.owned()) {
            board.committed(handle.name(), committed.generation(), committed.segment(), committed.checkpoint());
        }
    }

    /**
     * The listener lost its connection or has it again: commits may have gone unheard. Once it listens again the
     * database answers, so the workers waiting out an outage try again now rather than after their back-off.
     */
    private void connectionChanged() {
        board.invalidateAll();
        if (listener.isListening()) {
            registry.workers().filter(worker -> worker.outage().isPresent()).forEach(SegmentWorker::nudge);
        }
    }
}
