package dev.kappa.projections;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the threads that {@link #pass()} while it is closed, so that a test can act while a handler is mid-batch.
 * Bounded: nobody waits more than a minute. Thread-safe.
 */
final class Gate {

    private boolean open = true;
    private int waiting;

    synchronized void close() {
        open = false;
    }

    synchronized void open() {
        open = true;
        notifyAll();
    }

    /** Returns at once while open; waits while closed. */
    synchronized void pass() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        waiting++;
        notifyAll();
        try {
            while (!open && System.nanoTime() < deadline) {
                wait(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting--;
        }
    }

    /** Waits until a thread is held at the gate. */
    synchronized void awaitWaiting() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (waiting == 0 && System.nanoTime() < deadline) {
            wait(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1);
        }
        assertThat(waiting).as("threads held at the gate").isPositive();
    }
}
