package dev.kappa.eventstore;

import java.util.List;

/**
 * Decides what to append to a stream while nobody else can append: see
 * {@link EventAppender#appendExclusively(ExclusiveAppend)}.
 */
@FunctionalInterface
public interface ExclusiveDecision {

    /**
     * Decides the events to append.
     *
     * @param streamVersion the stream's current version, which cannot change before the decided events are appended
     * @return the events to append at exactly that version; none to append nothing
     */
    List<NewEvent> decide(long streamVersion);
}
