package dev.kappa.console.internal.state;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the console shows, as its page reads it from {@code {path}/state} and the live stream: the log, every
 * projection, the fleet, the relay and the latest actions, and who is looking. Times are ISO-8601 strings, so that the
 * JSON does not depend on a mapper's settings. Immutable.
 *
 * @param generatedAt when it was put together
 * @param instanceId  the instance that answers
 * @param user        the signed-in user who looks, or null
 * @param canAct      whether that user may act: write access is on and the user holds the operator role
 * @param log         the log
 * @param projections every projection, by name
 * @param fleet       the instances on the same database
 * @param relay       the Kafka relay of this instance, or null if it runs none
 * @param actions     the latest actions taken in the console, newest first
 */
public record ConsoleState(String generatedAt, String instanceId, @Nullable String user, boolean canAct, LogView log,
                           List<ProjectionView> projections, List<FleetView> fleet, @Nullable RelayView relay,
                           List<ActionRecord> actions) {

    /** The same state as {@code viewer} sees it. */
    public ConsoleState as(Viewer viewer) {
        return new ConsoleState(generatedAt, instanceId, viewer.user(), viewer.canAct(), log, projections, fleet, relay,
                actions);
    }

    /**
     * The log.
     *
     * @param head        the highest offset, or null while the database does not answer
     * @param appendRate  events appended per second over the last few seconds
     * @param rateSeries  head and rate over the rate window, oldest first
     * @param compaction  compaction's last run, or null if the log was never compacted (or it is unknown)
     * @param error       why the log could not be read, or null
     */
    public record LogView(@Nullable Long head, double appendRate, List<RatePoint> rateSeries,
                          @Nullable CompactionView compaction, @Nullable String error) {
    }

    /** One point of the append-rate chart: the head at a time, and the rate since the point before. */
    public record RatePoint(String at, long head, double rate) {
    }

    /** Compaction's last run, wherever in the fleet it ran. */
    public record CompactionView(String finishedAt, long tookMillis, long supersededRemoved, long tombstonesRemoved,
                                 long idempotencyKeysExpired, long compactedThrough, String instanceId) {
    }

    /**
     * A projection.
     *
     * @param generation     the generation readers use, or null before its first build
     * @param eventsPerSecond offsets applied per second by its slowest segment
     * @param etaSeconds     seconds until it reaches the head at that rate: 0 when there, null when it does not move
     * @param outage         since when and why the database does not answer it, or null
     * @param failure        the first failing segment's failure, or null
     * @param progress       a rebuild or reset under way, or null
     * @param deadLetters    its dead letters, newest first (at most {@value StateAssembler#DEAD_LETTERS_SHOWN})
     */
    public record ProjectionView(String name, String state, boolean inMemory, @Nullable Integer generation,
                                 long checkpoint, long head, long lag, double eventsPerSecond,
                                 @Nullable Double etaSeconds, boolean caughtUp, String note, @Nullable String outage,
                                 List<SegmentView> segments, @Nullable FailureView failure,
                                 @Nullable ProgressView progress, List<DeadLetterView> deadLetters) {
    }

    /** One segment of the generation readers use; {@code owner} is null when no instance holds its lease. */
    public record SegmentView(int segment, String state, long checkpoint, long lag, @Nullable String owner,
                              @Nullable FailureView failure) {
    }

    /**
     * The event a segment stopped at, and why; the stream and the ids of the event as the log has them (null if the
     * log no longer holds it).
     */
    public record FailureView(long offset, String eventType, String errorType, String message, int attempts,
                              String failedAt, @Nullable String streamId, @Nullable String correlationId,
                              @Nullable String causationId) {
    }

    /**
     * A rebuild (a generation built beside the current one) or a reset (the current generation replaying the log)
     * under way.
     *
     * @param kind       {@code rebuild} or {@code reset}
     * @param generation the generation that replays
     * @param offset     its slowest segment's checkpoint
     * @param head       the head it replays towards
     * @param percent    how much of the way from where it started to the head it has come, 0 to 100
     * @param etaSeconds seconds to the head at the current rate, or null while it does not move
     */
    public record ProgressView(String kind, int generation, long offset, long head, double percent,
                               double eventsPerSecond, @Nullable Double etaSeconds) {
    }

    /**
     * A dead letter, with the event's payload and the ids that tie it to the request that caused it. The payload is
     * its stored JSON as a string, not as JSON: a browser parsing it would round numbers beyond 2^53.
     */
    public record DeadLetterView(long offset, String streamId, long streamVersion, String eventType,
                                 @Nullable String payload, String errorType, String message,
                                 int attempts, String state, @Nullable String correlationId,
                                 @Nullable String causationId, String failedAt, int generation, int segment,
                                 String decidedBy, String note) {
    }

    /** An instance of the fleet. */
    public record FleetView(String instanceId, boolean self, boolean alive, @Nullable String heartbeatUntil,
                            List<String> projections, int segments) {
    }

    /** The Kafka relay of this instance. */
    public record RelayView(String state, long relayedOffset, long head, long lag, double eventsPerSecond,
                            @Nullable String error) {
    }

    /** An action taken in the console, whatever came of it. */
    public record ActionRecord(String at, @Nullable String user, String projection, String action,
                               @Nullable Long offset, @Nullable String note, String outcome, String detail) {
    }
}
