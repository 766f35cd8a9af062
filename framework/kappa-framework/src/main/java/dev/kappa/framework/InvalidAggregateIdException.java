package dev.kappa.framework;

/**
 * A command named an aggregate id that cannot name a stream: none, too long, or with control characters. Nothing
 * was read or appended. The id usually comes from a client, so this is the client's mistake: check ids where they
 * enter the application, or let the starter's web support answer it with a 400 problem.
 */
public class InvalidAggregateIdException extends IllegalArgumentException {

    private final Class<?> aggregateType;
    private final String aggregateId;

    public InvalidAggregateIdException(Class<?> aggregateType, String aggregateId, String rule) {
        super(aggregateType.getSimpleName() + " id " + shown(aggregateId) + " " + rule);
        this.aggregateType = aggregateType;
        this.aggregateId = aggregateId;
    }

    /** The aggregate's class. */
    public Class<?> aggregateType() {
        return aggregateType;
    }

    /** The id as the command named it; may be {@code null}. */
    public String aggregateId() {
        return aggregateId;
    }

    /** The id quoted, shortened and with control characters as '?', so that the message stays one short line. */
    private static String shown(String id) {
        if (id == null) {
            return "null";
        }
        String visible = id.replaceAll("\\p{Cntrl}", "?");
        return "'" + (visible.length() > 40 ? visible.substring(0, 40) + "…" : visible) + "'";
    }
}
