package dev.kappa.projections.source;

/**
 * The sources of projections that read a named topic instead of the PostgreSQL log ({@code @Projection(topic = ...)}),
 * given to the runtime by a module that knows where topics live ({@code kappa-kafka}).
 */
@FunctionalInterface
public interface RecordSources {

    /**
     * The source of {@code topic}, read by {@code projection}.
     *
     * @throws IllegalArgumentException if the topic cannot be read (it does not exist), saying what to do
     */
    RecordSource topic(String topic, String projection);
}
