package dev.kappa.eventstore.internal;

import java.util.OptionalLong;

/**
 * The channel on which every append transaction notifies, at its commit, the log's new head: the payload is the head
 * offset in decimal. The writer sends on it and the store's listener hears it.
 */
public final class LogChannel {

    /** The channel's name. */
    public static final String NAME = "kappa_log";

    private LogChannel() {
    }

    /** The head offset a payload on this channel carries; empty if it is not one of ours. */
    public static OptionalLong head(String payload) {
        try {
            return OptionalLong.of(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
