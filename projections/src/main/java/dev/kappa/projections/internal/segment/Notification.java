package dev.kappa.projections.internal.segment;

import java.util.Optional;

/**
 * The payloads sent on {@link PostgresSegments#CHANNEL}: {@code c|<generation>|<segment>|<checkpoint>|<projection>}
 * when a worker commits a checkpoint, {@code r|<projection>} when something else changed (a reset, a switch, a lease
 * released, a failure recorded or cleared) and runtimes should look at the database again. The projection name goes
 * last, so that it may hold any character.
 *
 * @param projection the projection
 * @param checkpoint the committed checkpoint, for a checkpoint notification
 */
public record Notification(String projection, Optional<Committed> checkpoint) {

    /** The payload of a checkpoint commit. */
    static String checkpoint(SegmentKey key, long checkpoint) {
        return "c|" + key.generation() + "|" + key.segment() + "|" + checkpoint + "|" + key.projection();
    }

    /** The payload of any other change. */
    public static String changed(String projection) {
        return "r|" + projection;
    }

    /** Reads a payload; empty if it is not one of ours. */
    public static Optional<Notification> parse(String payload) {
        if (payload == null) {
            return Optional.empty();
        }
        if (payload.startsWith("r|")) {
            return Optional.of(new Notification(payload.substring(2), Optional.empty()));
        }
        if (payload.startsWith("c|")) {
            String[] parts = payload.split("\\|", 5);
            if (parts.length == 5) {
                try {
                    Committed committed = new Committed(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                            Long.parseLong(parts[3]));
                    return Optional.of(new Notification(parts[4], Optional.of(committed)));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A committed checkpoint.
     *
     * @param generation the generation
     * @param segment    the segment
     * @param checkpoint the new checkpoint
     */
    public record Committed(int generation, int segment, long checkpoint) {
    }
}
