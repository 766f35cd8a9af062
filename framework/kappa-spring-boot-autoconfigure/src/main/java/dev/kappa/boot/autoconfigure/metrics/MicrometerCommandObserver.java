package dev.kappa.boot.autoconfigure.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.kappa.framework.CommandObserver;

/**
 * Command metrics: {@code kappa.commands}, the latency of every command, tagged with its type, outcome
 * ({@code success} or {@code failure}) and exception (the simple class name, or {@code none}). Thread-safe.
 */
class MicrometerCommandObserver implements CommandObserver {

    private final MeterRegistry registry;
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    MicrometerCommandObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void commandEnded(Class<?> commandType, long durationNanos, Throwable failure) {
        TimerKey key = new TimerKey(commandType, failure == null ? null : failure.getClass());
        timers.computeIfAbsent(key, this::timer).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(TimerKey key) {
        return Timer.builder("kappa.commands")
                .description("Commands handled by the command gateway, retries included")
                .tag("command", key.commandType().getSimpleName())
                .tag("outcome", key.exceptionType() == null ? "success" : "failure")
                .tag("exception", key.exceptionType() == null ? "none" : key.exceptionType().getSimpleName())
                .register(registry);
    }

    private record TimerKey(Class<?> commandType, Class<?> exceptionType) {
    }
}
