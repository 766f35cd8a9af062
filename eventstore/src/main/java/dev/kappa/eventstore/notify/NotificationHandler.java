package dev.kappa.eventstore.notify;

/**
 * Receives the notifications a {@link NotificationListener} hears. It runs on the listener's thread, one notification
 * at a time, so it must be quick: record what was heard and wake whoever waits, no database work.
 */
@FunctionalInterface
public interface NotificationHandler {

    /**
     * A notification was delivered.
     *
     * @param channel the channel it was sent on, one the listener listens on
     * @param payload its payload, empty when it was sent without one
     */
    void notified(String channel, String payload);
}
