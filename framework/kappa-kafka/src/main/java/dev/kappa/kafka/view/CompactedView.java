package dev.kappa.kafka.view;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.kappa.eventstore.LogRecord;

/**
 * The latest value of every key of a compacted topic, held in memory (a Caffeine cache) in this instance: loaded from
 * offset zero of every partition at {@link #start()}, then followed live; a tombstone removes its key. It is
 * {@link #isReady() ready} once it has read up to the end offsets the topic had when it started.
 *
 * <p>Thread-safe: readers call {@link #get} from any thread while the view's own thread follows the topic.
 *
 * @param <V> the value kept per key, made from each relayed record by the view's decoder
 */
public interface CompactedView<V> extends AutoCloseable {

    /**
     * A builder for a view of {@code topic}, each record turned into a value by {@code decoder} (given the log record
     * the relay published, payload as JSON).
     */
    static <V> CompactedViewBuilder<V> builder(String topic, Function<LogRecord, V> decoder) {
        return new CompactedViewBuilder<>(topic, decoder);
    }

    /** Starts loading on a thread of its own; returns at once. */
    void start();

    /** The latest value of {@code key}, empty if the key has none or was deleted. */
    Optional<V> get(String key);

    /** A snapshot of every key and its latest value. */
    Map<String, V> asMap();

    /** How many keys the view holds. */
    long size();

    /** Whether the view has read up to the end offsets the topic had at start. */
    boolean isReady();

    /**
     * Waits until the view {@link #isReady() is ready}.
     *
     * @return whether it became ready within {@code timeout}
     */
    boolean awaitReady(Duration timeout) throws InterruptedException;

    /** The view's state, for health and the actuator endpoint. */
    ViewStatus status();

    @Override
    void close();
}
