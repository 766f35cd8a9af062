package dev.kappa.kafka.internal.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import dev.kappa.kafka.relay.RelayState;
import dev.kappa.kafka.relay.RelayStatus;

/**
 * Publishes the relay's metrics to Micrometer, tagged {@code relay} (the transactional id): gauges
 * {@code kappa.relay.lag} (log head − relayed offset, -1 while unknown), {@code kappa.relay.offset} (the last offset
 * committed to Kafka), {@code kappa.relay.rate} (records per second over the last minute) and
 * {@code kappa.relay.state} (1 for the current state, 0 for the others, tagged {@code state}); counter
 * {@code kappa.relay.records}. The only class that touches Micrometer: it is loaded only when a registry is given.
 * Thread-safe.
 */
final class MicrometerRelayMetrics implements RelayMetrics {

    private final MeterRegistry registry;
    private final List<Meter> gauges;
    private final Counter records;

    private MicrometerRelayMetrics(MeterRegistry registry, String transactionalId, Supplier<RelayStatus> status) {
        this.registry = registry;
        Tags tags = Tags.of("relay", transactionalId);
        List<Meter> meters = new ArrayList<>();
        // the supplier is referenced from nowhere else: hold it strongly, or Micrometer's weak reference lets it go
        meters.add(Gauge.builder("kappa.relay.lag", status, s -> s.get().lag()).tags(tags).strongReference(true)
                .description("How many log offsets the relay is behind the log's head").register(registry));
        meters.add(Gauge.builder("kappa.relay.offset", status, s -> s.get().relayedOffset()).tags(tags)
                .strongReference(true).description("The last log offset committed to Kafka").register(registry));
        meters.add(Gauge.builder("kappa.relay.rate", status, s -> s.get().eventsPerSecond()).tags(tags)
                .strongReference(true).description("Records relayed per second over the last minute")
                .register(registry));
        for (RelayState state : RelayState.values()) {
            meters.add(Gauge.builder("kappa.relay.state", status, s -> s.get().state() == state ? 1 : 0)
                    .tags(tags.and("state", state.name())).strongReference(true)
                    .description("1 for the relay's current state").register(registry));
        }
        this.gauges = List.copyOf(meters);
        this.records = Counter.builder("kappa.relay.records").tags(tags)
                .description("Log records committed to Kafka").register(registry);
    }

    static RelayMetrics create(Object registry, String transactionalId, Supplier<RelayStatus> status) {
        return new MicrometerRelayMetrics((MeterRegistry) registry, transactionalId, status);
    }

    @Override
    public void relayed(int count) {
        records.increment(count);
    }

    @Override
    public void close() {
        gauges.forEach(registry::remove);
    }
}
