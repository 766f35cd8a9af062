package dev.kappa.kafka.internal.relay;

import java.util.function.Supplier;

import dev.kappa.kafka.relay.RelayStatus;

/**
 * Where the relay reports what it does. Without a meter registry nothing is reported; with one, Micrometer gauges and
 * a counter. Thread-safe.
 */
interface RelayMetrics extends AutoCloseable {

    /** Reports nothing. */
    RelayMetrics NONE = new RelayMetrics() {
    };

    /**
     * The relay's meters, their gauges reading {@code status}.
     *
     * @param registry a Micrometer {@code MeterRegistry}, or {@code null} for none; typed {@code Object} so that
     *                 Micrometer classes are touched only when one is given
     */
    static RelayMetrics of(Object registry, String transactionalId, Supplier<RelayStatus> status) {
        return registry == null ? NONE : MicrometerRelayMetrics.create(registry, transactionalId, status);
    }

    /** Records committed to Kafka. */
    default void relayed(int records) {
    }

    /** Removes the gauges. */
    @Override
    default void close() {
    }
}
