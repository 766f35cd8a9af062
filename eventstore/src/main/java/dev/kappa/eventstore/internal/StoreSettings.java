package dev.kappa.eventstore.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import io.micrometer.observation.ObservationRegistry;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.StoreObserver;

/**
 * The validated settings of one event store. Defaults live in {@code EventStoreBuilder}.
 *
 * @param codec              encodes and decodes events
 * @param clock              stamps recorded times and judges tombstone and idempotency key retention
 * @param maxBatchAppends    the most append calls one group commit takes
 * @param maxBatchEvents     the most events one group commit takes (a larger single append still goes alone)
 * @param maxQueuedAppends   the most append calls waiting for the writer before callers are held back
 * @param batchLinger        how long the writer waits for more appends before committing a batch; zero commits at once
 * @param maxPayloadBytes    the largest event payload, in UTF-8 bytes of JSON
 * @param notifications      whether followers are woken by {@code LISTEN/NOTIFY} (else they only poll)
 * @param pollInterval       how often followers look for new records without a notification
 * @param readPageSize       how many records a page of {@code streamLog} holds
 * @param tombstoneRetention how long a tombstone stays before compaction removes its key
 * @param idempotencyRetention how long an idempotency key is kept before compaction removes it
 * @param observer           hears appends and group commits
 * @param observationRegistry observes appends and group commits ({@link ObservationRegistry#NOOP} for none)
 */
public record StoreSettings(EventCodec codec, Clock clock, int maxBatchAppends, int maxBatchEvents,
                            int maxQueuedAppends, Duration batchLinger, int maxPayloadBytes, boolean notifications,
                            Duration pollInterval, int readPageSize, Duration tombstoneRetention,
                            Duration idempotencyRetention, StoreObserver observer,
                            ObservationRegistry observationRegistry) {

    public StoreSettings {
        Objects.requireNonNull(codec, "codec must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(batchLinger, "batch linger must not be null");
        Objects.requireNonNull(pollInterval, "poll interval must not be null");
        Objects.requireNonNull(tombstoneRetention, "tombstone retention must not be null");
        Objects.requireNonNull(idempotencyRetention, "idempotency retention must not be null");
        Objects.requireNonNull(observer, "observer must not be null");
        Objects.requireNonNull(observationRegistry, "observation registry must not be null");
    }
}
