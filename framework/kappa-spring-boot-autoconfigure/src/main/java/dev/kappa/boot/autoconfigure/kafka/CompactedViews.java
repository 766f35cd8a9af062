package dev.kappa.boot.autoconfigure.kafka;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.springframework.context.SmartLifecycle;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.view.CompactedView;

/**
 * Makes the application's in-memory views of compacted topics, with the Kafka settings of {@code spring.kafka.*}, and
 * runs them with the application: each starts loading its topic from offset zero when the application starts (or at
 * once, if made later) and is closed when it stops; readiness waits until every view has read the end offsets its
 * topic had at start ({@code kappa.kafka.views.readiness-timeout}); the {@code kappa} actuator endpoint shows each.
 *
 * <pre>{@code
 * @Bean
 * CompactedView<Profile> profiles(CompactedViews views) {
 *     return views.view("customer-profiles", "kappa.log.compacted", record -> Profile.parse(record.payload()));
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class CompactedViews implements SmartLifecycle {

    /** After the relay, which creates the topics the views read when it runs in the same application. */
    static final int PHASE = RelayLifecycle.PHASE + 1;

    private final Map<String, Object> kafkaProperties;
    private final Map<String, CompactedView<?>> views = new LinkedHashMap<>();
    private boolean running;

    /** @param kafkaProperties the consumer properties every view gets: servers, security */
    public CompactedViews(Map<String, ?> kafkaProperties) {
        this.kafkaProperties = new HashMap<>(Objects.requireNonNull(kafkaProperties, "properties must not be null"));
    }

    /** A view of {@code topic} named after it: see {@link #view(String, String, Function)}. */
    public <V> CompactedView<V> view(String topic, Function<LogRecord, V> decoder) {
        return view(topic, topic, decoder);
    }

    /**
     * A view of {@code topic}, each record turned into a value by {@code decoder}, run with the application.
     *
     * @param name its name in logs, status and the actuator endpoint: unique among the application's views
     * @throws IllegalArgumentException if a view of that name exists already
     */
    public synchronized <V> CompactedView<V> view(String name, String topic, Function<LogRecord, V> decoder) {
        requireNewName(name);
        return add(name, CompactedView.builder(topic, decoder).name(name).kafkaProperties(kafkaProperties).build());
    }

    /** Runs {@code view} with the application, under {@code name}. */
    synchronized <V> CompactedView<V> add(String name, CompactedView<V> view) {
        requireNewName(name);
        views.put(name, view);
        if (running) {
            view.start();
        }
        return view;
    }

    private void requireNewName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a compacted view's name must not be blank");
        }
        if (views.containsKey(name)) {
            throw new IllegalArgumentException("there is a compacted view named '" + name + "' already: give each"
                    + " view a name of its own");
        }
    }

    /** The views made so far, by name, in the order they were made. */
    public synchronized Map<String, CompactedView<?>> views() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(views));
    }

    /** Whether every view has read the end offsets its topic had at start. */
    public boolean isReady() {
        return snapshot().stream().allMatch(CompactedView::isReady);
    }

    /**
     * Waits until every view {@link #isReady() is ready}.
     *
     * @return whether they all were within {@code timeout}
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompactedView<?> view : snapshot()) {
            if (!view.awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void start() {
        views.values().forEach(CompactedView::start);
        running = true;
    }

    @Override
    public synchronized void stop() {
        views.values().forEach(CompactedView::close);
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private synchronized List<CompactedView<?>> snapshot() {
        return List.copyOf(views.values());
    }
}
