package dev.kappa.projections.internal.deadletter;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.NoSuchDeadLetterException;
import dev.kappa.projections.ProjectionException;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.internal.rebuild.GenerationRow;
import dev.kappa.projections.internal.rebuild.PostgresGenerations;
import dev.kappa.projections.internal.runtime.ProjectionHandle;
import dev.kappa.projections.internal.segment.PostgresSegments;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.worker.EventReplay;

/**
 * Applies a database projection's dead letters again: each in one transaction that locks the letter and its segment's
 * row, so that no batch of the segment commits meanwhile and the event is applied exactly once.
 *
 * <p>Thread-safe.
 */
public final class DeadLetterReplay {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final PostgresDeadLetters deadLetters;
    private final PostgresGenerations generations;
    private final PostgresSegments segments;
    private final Clock clock;
    private final Replayer replayer;

    /** Builds the replay of one event into a generation's segment, with that generation's handlers and tables. */
    @FunctionalInterface
    public interface Replayer {
        EventReplay of(ProjectionHandle handle, GenerationRow generation, ProjectionDefinition definition,
                       SegmentKey key);
    }

    public DeadLetterReplay(PostgresDeadLetters deadLetters, PostgresGenerations generations,
                            PostgresSegments segments, Clock clock, Replayer replayer) {
        this.deadLetters = deadLetters;
        this.generations = generations;
        this.segments = segments;
        this.clock = clock;
        this.replayer = replayer;
    }

    /**
     * Replays the projection's letters at {@code offset} that wait for it, one per live generation that parked the
     * event.
     *
     * @return the projection's letters at {@code offset} afterwards
     */
    public List<DeadLetter> replay(ProjectionHandle handle, long offset, String operator) {
        String projection = handle.name();
        List<DeadLetter> atOffset = deadLetters.list(projection).stream().filter(l -> l.offset() == offset).toList();
        Map<Integer, GenerationRow> live = new HashMap<>();
        generations.generations(projection).stream().filter(g -> g.state() != GenerationRow.State.RETIRED)
                .forEach(g -> live.put(g.generation(), g));
        List<DeadLetter> waiting = atOffset.stream().filter(l -> l.state() != DeadLetter.State.REPLAYED)
                .filter(l -> live.containsKey(l.generation())).toList();
        if (waiting.isEmpty()) {
            if (atOffset.isEmpty()) {
                throw new NoSuchDeadLetterException(projection, offset);
            }
            throw new IllegalStateException(nothingToReplay(projection, offset, atOffset));
        }
        for (DeadLetter letter : waiting) {
            replayOne(handle, live.get(letter.generation()), letter, operator);
        }
        return deadLetters.list(projection).stream().filter(l -> l.offset() == offset).toList();
    }

    /** Why the letters at {@code offset} (at least one) cannot be replayed. */
    private static String nothingToReplay(String projection, long offset, List<DeadLetter> atOffset) {
        Optional<DeadLetter> replayed = atOffset.stream().filter(l -> l.state() == DeadLetter.State.REPLAYED)
                .findFirst();
        if (replayed.isPresent()) {
            DeadLetter.Decision by = replayed.get().replay().orElseThrow();
            return "the dead letter of projection '" + projection + "' at offset " + offset + " was already replayed,"
                    + " by " + by.by() + " at " + by.at();
        }
        return "the dead letter of projection '" + projection + "' at offset " + offset + " belongs to generation "
                + atOffset.get(0).generation() + ", which has been replaced since: the generation readers use was"
                + " built after it, so there is nothing to replay it into";
    }

    /** Applies one dead letter again, in a transaction that locks the letter and its segment's row. */
    private void replayOne(ProjectionHandle handle, GenerationRow generation, DeadLetter letter, String operator) {
        String name = handle.name();
        long offset = letter.offset();
        ProjectionDefinition definition = handle.definition(generation.version()).orElseThrow(() ->
                new IllegalStateException("the dead letter of projection '" + name + "' at offset " + offset
                        + " belongs to generation " + generation.generation() + ", which runs version "
                        + generation.version() + " of the projection; this runtime runs version "
                        + handle.newest().version() + ": replay it from an instance that runs that version"));
        SegmentKey key = new SegmentKey(name, generation.generation(), letter.segment());
        DeadLetter.Decision replay = new DeadLetter.Decision(operator, "", clock.instant());
        String where = "the dead letter of projection '" + name + "' at offset " + offset + " (segment "
                + letter.segment() + " of generation " + generation.generation() + ")";
        Optional<Throwable> failure;
        try {
            failure = replayer.of(handle, generation, definition, key).apply(
                    PostgresDeadLetters.record(letter), () -> {
                        DeadLetter locked = deadLetters.lock(name, generation.generation(), offset).orElseThrow(() ->
                                new ReplayRefused(where + " is gone"));
                        if (locked.state() == DeadLetter.State.REPLAYED) {
                            throw new ReplayRefused(where + " was replayed meanwhile, by "
                                    + locked.replay().map(DeadLetter.Decision::by).orElse("?"));
                        }
                        long checkpoint = segments.lockSegment(key).orElseThrow(() -> new ReplayRefused(
                                "generation " + generation.generation() + " of projection '" + name
                                        + "' was replaced meanwhile"));
                        if (checkpoint < deadLetters.position(locked)) {
                            throw new ReplayRefused("cannot replay " + where + ": the segment is back at checkpoint "
                                    + checkpoint + " (it was reset), so its worker applies the event when it gets"
                                    + " there");
                        }
                    }, () -> {
                        if (!deadLetters.replayed(letter, replay)) {
                            throw new ReplayRefused(where + " was replayed meanwhile");
                        }
                    });
        } catch (ReplayRefused e) {
            throw new IllegalStateException(e.getMessage());
        } catch (RuntimeException e) {
            throw new ProjectionException(name, "could not replay " + where + ": " + e.getMessage()
                    + "; the letter stays as it was", e);
        }
        String letterHere = "the dead letter at offset " + offset + " (segment " + letter.segment() + " of generation "
                + generation.generation() + ")";
        if (failure.isEmpty()) {
            log.info("projection '{}': {} replayed {}: applied", name, replay.by(), letterHere);
            return;
        }
        Throwable cause = failure.get();
        deadLetters.replayFailed(letter, new ProjectionFailure(offset, letter.eventType(), cause.getClass().getName(),
                cause.getMessage(), 1, clock.instant()));
        log.info("projection '{}': {} replayed {}, which failed again, so it stays a dead letter: {}", name,
                replay.by(), letterHere, cause.toString());
    }

    /** A replay that must not go ahead: rolls its transaction back, and is refused with its message. */
    private static final class ReplayRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayRefused(String message) {
            super(message, null, false, false);
        }
    }
}
