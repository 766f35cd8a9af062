package dev.kappa.boot.autoconfigure.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the event store.
 *
 * @param maxBatchAppends  The most append calls coalesced into one transaction by group commit.
 * @param maxBatchEvents   The most events coalesced into one transaction by group commit; a larger single append is
 *                         still written, alone.
 * @param maxQueuedAppends The most append calls waiting for the writer; callers beyond it wait for room.
 * @param batchLinger      How long the writer waits for more appends before committing a batch; 0 commits at once.
 * @param maxPayloadSize   The largest event payload accepted, as UTF-8 JSON.
 * @param notifications    Whether followers of the log are woken at once by PostgreSQL LISTEN/NOTIFY; without
 *                         them, they only poll.
 * @param pollInterval     How often followers look for new records when no notification came.
 * @param readPageSize     How many records a page of a log read holds.
 */
@ConfigurationProperties("kappa.store")
public record KappaStoreProperties(
        @DefaultValue("256") int maxBatchAppends,
        @DefaultValue("10000") int maxBatchEvents,
        @DefaultValue("10000") int maxQueuedAppends,
        @DefaultValue("0ms") Duration batchLinger,
        @DefaultValue("1MB") DataSize maxPayloadSize,
        @DefaultValue("true") boolean notifications,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("1000") int readPageSize) {
}
