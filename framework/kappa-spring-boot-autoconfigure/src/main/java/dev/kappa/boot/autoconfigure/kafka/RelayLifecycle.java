package dev.kappa.boot.autoconfigure.kafka;

import org.springframework.context.SmartLifecycle;

import dev.kappa.kafka.relay.KafkaRelay;

/**
 * Starts the relay once the application's beans are up, and closes it on shutdown while the data source is still open.
 * The relay checks or creates its topics as it starts, so a topic it cannot use (the wrong cleanup policy) stops the
 * application's start with the relay's error.
 *
 * <p>Thread-safe.
 */
class RelayLifecycle implements SmartLifecycle {

    /** With the projection workers: late to start, early to stop. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private final KafkaRelay relay;
    private volatile boolean running;

    RelayLifecycle(KafkaRelay relay) {
        this.relay = relay;
    }

    @Override
    public synchronized void start() {
        relay.start();
        running = true;
    }

    @Override
    public synchronized void stop() {
        relay.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
