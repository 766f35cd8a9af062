package dev.kappa.framework;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event-sourced aggregate: a class whose state is rebuilt from its own stream of events, and whose
 * {@link CommandHandler}s decide new events.
 *
 * <p>The class needs a no-argument constructor (it may be private), one {@link AggregateId} field and an
 * {@link EventSourcingHandler} for every event it emits. It is not a Spring bean: Kappa creates its instances.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Aggregate {

    /**
     * What comes before the aggregate id in its stream id. Defaults to the class's simple name in lower case and a
     * dash ({@code "account-"} for {@code Account}).
     */
    String streamPrefix() default "";

    /**
     * Saves a snapshot every this many events, so that loading replays at most that many; 0 (the default) never
     * snapshots. Snapshots are written after the append and never fail a command.
     */
    int snapshotEvery() default 0;

    /**
     * The version of the aggregate's state as snapshots hold it. Raise it when the meaning of the state changes
     * without its fields changing (a fixed bug in an event-sourcing handler, say): older snapshots are then ignored.
     * (Changes to the fields are detected without it.)
     */
    int snapshotRevision() default 1;
}
