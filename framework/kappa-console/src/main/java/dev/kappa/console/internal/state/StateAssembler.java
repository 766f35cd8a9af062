package dev.kappa.console.internal.state;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.boot.autoconfigure.actuate.KafkaStatus;
import dev.kappa.boot.autoconfigure.actuate.LogHead;
import dev.kappa.console.internal.state.ConsoleState.ActionRecord;
import dev.kappa.console.internal.state.ConsoleState.CompactionView;
import dev.kappa.console.internal.state.ConsoleState.DeadLetterView;
import dev.kappa.console.internal.state.ConsoleState.FailureView;
import dev.kappa.console.internal.state.ConsoleState.FleetView;
import dev.kappa.console.internal.state.ConsoleState.LogView;
import dev.kappa.console.internal.state.ConsoleState.ProgressView;
import dev.kappa.console.internal.state.ConsoleState.ProjectionView;
import dev.kappa.console.internal.state.ConsoleState.RatePoint;
import dev.kappa.console.internal.state.ConsoleState.RelayView;
import dev.kappa.console.internal.state.ConsoleState.SegmentView;
import dev.kappa.eventstore.CompactionRun;
import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogCompactor;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.FleetInstance;
import dev.kappa.projections.GenerationStatus;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionState;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.SegmentStatus;

/**
 * Puts the console's state together from the projection monitor (status, dead letters, fleet), the log (head,
 * compaction's last run), the relay and the action log, with the rates measured from samples. What cannot be read (the
 * database is away) is left out or named, never thrown: the page keeps showing what is known.
 *
 * <p>Thread-safe: called from request threads and the console's scheduler at once.
 */
public final class StateAssembler {

    /** How many of a projection's dead letters the state carries, the newest. */
    static final int DEAD_LETTERS_SHOWN = 100;
    /** How many actions the state carries, the newest. */
    public static final int ACTIONS_SHOWN = 20;

    private static final Logger log = LoggerFactory.getLogger(StateAssembler.class);

    private final ProjectionMonitor monitor;
    private final EventReader reader;
    private final @Nullable LogCompactor compactor;
    private final @Nullable KafkaStatus kafka;
    private final Supplier<List<ActionRecord>> actions;
    private final String instanceId;
    private final LogSampler sampler;
    private final Clock clock;
    private final ReplayRates replays;
    /** The log's record at a failing offset, so that a stopped projection's event is read once, not every second. */
    private final Map<Long, Optional<LogRecord>> failingEvents = new ConcurrentHashMap<>();

    /**
     * @param actions    the latest actions, newest first
     * @param instanceId this instance's id, as its projection runtime holds leases
     */
    public StateAssembler(ProjectionMonitor monitor, EventReader reader, @Nullable LogCompactor compactor,
                          @Nullable KafkaStatus kafka, Supplier<List<ActionRecord>> actions, String instanceId,
                          LogSampler sampler, Clock clock) {
        this.monitor = monitor;
        this.reader = reader;
        this.compactor = compactor;
        this.kafka = kafka;
        this.actions = actions;
        this.instanceId = instanceId;
        this.sampler = sampler;
        this.clock = clock;
        this.replays = new ReplayRates(clock);
    }

    /** The state as nobody in particular sees it: see {@link ConsoleState#as(Viewer)}. */
    public ConsoleState assemble() {
        Instant now = clock.instant();
        List<ProjectionStatus> statuses = monitor.status();
        LogHead read = LogHead.read(reader, statuses);
        Long head = read.head();
        String error = read.error();
        boolean reachable = read.known();
        if (reachable) {
            sampler.record(head);
        }
        List<ProjectionView> projections = new ArrayList<>();
        Set<String> live = new HashSet<>();
        for (ProjectionStatus status : statuses) {
            projections.add(projection(status, head, reachable, live));
        }
        replays.retain(live);
        LogView logView = new LogView(head, round(sampler.appendRate()), series(),
                reachable ? compaction() : null, error);
        return new ConsoleState(now.toString(), instanceId, null, false, logView, projections,
                reachable ? fleet(statuses) : self(statuses), relay(), reachable ? latestActions() : List.of());
    }

    /** Remembers that the console reset {@code projection} to {@code offset}, so that its progress starts there. */
    public void resetStarted(String projection, long offset) {
        replays.resetStarted(projection, offset);
    }

    private ProjectionView projection(ProjectionStatus status, @Nullable Long logHead, boolean reachable,
                                      Set<String> live) {
        String name = status.name();
        Optional<GenerationStatus> current = status.current();
        long checkpoint = status.checkpoint();
        long head = current.map(generation -> generation.progress().head()).orElse(logHead == null ? 0 : logHead);
        long lag = status.lag();
        double rate = current.map(generation -> rate(name, generation, live)).orElse(0.0);
        List<SegmentView> segments = status.segments().stream().map(segment -> segment(segment, reachable)).toList();
        FailureView failure = Optional.ofNullable(firstFailure(status.current(), reachable))
                .orElse(firstFailure(status.rebuild(), reachable));
        ProgressView progress = progress(status, live);
        return new ProjectionView(name, status.state().name(), status.inMemory(),
                current.map(GenerationStatus::generation).orElse(null), checkpoint, head, lag, round(rate),
                eta(lag, rate), status.caughtUp(), status.note(),
                status.outage().map(outage -> "since " + outage.since() + ": " + outage.error()).orElse(null),
                segments, failure, progress, reachable ? deadLetters(name) : List.of());
    }

    private double rate(String name, GenerationStatus generation, Set<String> live) {
        live.add(ReplayRates.key(name, generation.generation()));
        double sampled = replays.sample(name, generation.generation(), generation.checkpoint());
        double reported = generation.progress().eventsPerSecond();
        // the runtime measures its own segments more finely; the samples see those other instances hold too
        return reported > 0 ? reported : sampled;
    }

    private @Nullable ProgressView progress(ProjectionStatus status, Set<String> live) {
        if (status.rebuild().isPresent()) {
            // a new generation is built from the start of the log
            return progress("rebuild", status.name(), status.rebuild().get(), 0, live);
        }
        Optional<GenerationStatus> current = status.current();
        if (current.isPresent() && current.get().state() == ProjectionState.REBUILDING) {
            return progress("reset", status.name(), current.get(), replays.resetStart(status.name()), live);
        }
        replays.resetEnded(status.name());
        return null;
    }

    private ProgressView progress(String kind, String name, GenerationStatus generation, long start,
                                  Set<String> live) {
        long offset = generation.checkpoint();
        long head = Math.max(offset, generation.progress().head());
        double rate = rate(name, generation, live);
        double percent = head <= start ? 100 : Math.max(0, Math.min(100, (offset - start) * 100.0 / (head - start)));
        return new ProgressView(kind, generation.generation(), offset, head, round(percent), round(rate),
                eta(head - offset, rate));
    }

    private SegmentView segment(SegmentStatus segment, boolean reachable) {
        return new SegmentView(segment.segment(), segment.state().name(), segment.checkpoint(), segment.lag(),
                segment.owner(), segment.failure().map(failure -> failure(failure, reachable)).orElse(null));
    }

    private @Nullable FailureView firstFailure(Optional<GenerationStatus> generation, boolean reachable) {
        return generation.stream().flatMap(g -> g.segments().stream())
                .flatMap(segment -> segment.failure().stream())
                .findFirst().map(failure -> failure(failure, reachable)).orElse(null);
    }

    private FailureView failure(ProjectionFailure failure, boolean reachable) {
        Optional<LogRecord> event = reachable ? event(failure.offset()) : Optional.empty();
        EventMetadata metadata = event.map(LogRecord::metadata).orElse(null);
        return new FailureView(failure.offset(), failure.eventType(), failure.errorType(), failure.message(),
                failure.attempts(), failure.failedAt().toString(), event.map(LogRecord::streamId).orElse(null),
                metadata == null ? null : metadata.correlationId(), metadata == null ? null : metadata.causationId());
    }

    /** The log's record at {@code offset}, read once; empty if the log does not hold it (compacted) or cannot say. */
    private Optional<LogRecord> event(long offset) {
        if (failingEvents.size() > 1_000) {
            failingEvents.clear();
        }
        Optional<LogRecord> known = failingEvents.get(offset);
        if (known != null) {
            return known;
        }
        try {
            Optional<LogRecord> record = reader.readLog(Math.max(0, offset - 1), 1).stream()
                    .filter(candidate -> candidate.offset() == offset).findFirst();
            failingEvents.put(offset, record);
            return record;
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private List<DeadLetterView> deadLetters(String projection) {
        List<DeadLetter> letters;
        try {
            letters = monitor.deadLetters(projection, DEAD_LETTERS_SHOWN);
        } catch (RuntimeException e) {
            log.debug("console: cannot read the dead letters of projection '{}'", projection, e);
            return List.of();
        }
        List<DeadLetterView> views = new ArrayList<>();
        for (int i = letters.size() - 1; i >= 0 && views.size() < DEAD_LETTERS_SHOWN; i--) {
            DeadLetter letter = letters.get(i);
            EventMetadata metadata = letter.metadata();
            views.add(new DeadLetterView(letter.offset(), letter.streamId(), letter.streamVersion(),
                    letter.eventType(), letter.payload(), letter.errorType(), letter.message(), letter.attempts(),
                    letter.state().name(), metadata == null ? null : metadata.correlationId(),
                    metadata == null ? null : metadata.causationId(), letter.failedAt().toString(),
                    letter.generation(), letter.segment(), letter.decision().by(), letter.decision().note()));
        }
        return views;
    }

    private List<RatePoint> series() {
        return sampler.series().stream()
                .map(point -> new RatePoint(point.at().toString(), point.value(), round(point.rate()))).toList();
    }

    private @Nullable CompactionView compaction() {
        if (compactor == null) {
            return null;
        }
        try {
            return compactor.lastRun().map(StateAssembler::compaction).orElse(null);
        } catch (RuntimeException e) {
            log.debug("console: cannot read compaction's last run", e);
            return null;
        }
    }

    private static CompactionView compaction(CompactionRun run) {
        return new CompactionView(run.finishedAt().toString(), run.took().toMillis(), run.result().supersededRemoved(),
                run.result().tombstonesRemoved(), run.result().idempotencyKeysExpired(),
                run.result().compactedThrough(), run.instanceId());
    }

    private List<FleetView> fleet(List<ProjectionStatus> statuses) {
        List<FleetInstance> fleet;
        try {
            fleet = monitor.fleet();
        } catch (RuntimeException e) {
            log.debug("console: cannot read the fleet", e);
            fleet = List.of();
        }
        if (fleet.isEmpty()) {
            return self(statuses);
        }
        return fleet.stream().map(instance -> new FleetView(instance.instanceId(), instance.self(), instance.alive(),
                instance.heartbeatUntil().toString(), instance.projections(), instance.segments())).toList();
    }

    /** This instance alone, as its own projections show it: where the monitor knows no fleet. */
    private List<FleetView> self(List<ProjectionStatus> statuses) {
        List<String> names = new ArrayList<>();
        int segments = 0;
        for (ProjectionStatus status : statuses) {
            int held = 0;
            for (GenerationStatus generation : concat(status.current(), status.rebuild())) {
                held += (int) generation.segments().stream()
                        .filter(segment -> instanceId.equals(segment.owner())).count();
            }
            if (held > 0) {
                names.add(status.name());
            }
            segments += held;
        }
        names.sort(null);
        return List.of(new FleetView(instanceId, true, true, null, names, segments));
    }

    private static List<GenerationStatus> concat(Optional<GenerationStatus> a, Optional<GenerationStatus> b) {
        List<GenerationStatus> both = new ArrayList<>(2);
        a.ifPresent(both::add);
        b.ifPresent(both::add);
        return both;
    }

    private @Nullable RelayView relay() {
        KafkaStatus.Relay relay = kafka == null ? null : kafka.relay();
        return relay == null ? null : new RelayView(relay.state(), relay.relayedOffset(), relay.head(), relay.lag(),
                round(relay.eventsPerSecond()), relay.error());
    }

    private List<ActionRecord> latestActions() {
        try {
            return actions.get();
        } catch (RuntimeException e) {
            log.debug("console: cannot read the action log", e);
            return List.of();
        }
    }

    private static @Nullable Double eta(long lag, double rate) {
        if (lag <= 0) {
            return 0.0;
        }
        return rate > 0 ? round(lag / rate) : null;
    }

    private static double round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return 0;
        }
        return Math.round(value * 10) / 10.0;
    }
}
