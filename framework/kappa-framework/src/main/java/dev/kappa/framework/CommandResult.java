package dev.kappa.framework;

import java.util.Objects;

/**
 * What a command did.
 *
 * @param aggregateId    the id of the aggregate it acted on or created
 * @param streamId       that aggregate's stream
 * @param version        the aggregate's version afterwards
 * @param firstOffset    the log offset of the first event it appended, or 0 if it appended none
 * @param lastOffset     the log offset of the last event it appended, or 0 if it appended none: wait for a read model
 *                       to reach this offset to read your own write
 * @param eventCount     how many events it appended
 * @param alreadyApplied whether this is the result of an earlier command with the same idempotency key, returned
 *                       without applying the command again
 */
public record CommandResult(String aggregateId, String streamId, long version, long firstOffset, long lastOffset,
                            int eventCount, boolean alreadyApplied) {

    public CommandResult {
        Objects.requireNonNull(aggregateId, "aggregate id must not be null");
        Objects.requireNonNull(streamId, "stream id must not be null");
    }
}
