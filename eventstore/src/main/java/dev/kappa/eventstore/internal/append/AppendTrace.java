package dev.kappa.eventstore.internal.append;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.Observation;

import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.ConcurrencyException;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.eventstore.StreamAppend;

/**
 * One append's observation and the trace context it propagates, as metadata entries. The context replaces entries of
 * the same keys an event already has (copied from the event that caused it, say): the append is where the event is
 * sent from. {@link #NONE} observes and adds nothing.
 *
 * <p>Not thread-safe: it belongs to one append call, which may end it on another thread.
 */
final class AppendTrace {

    static final AppendTrace NONE = new AppendTrace(null, Map.of());

    private final Observation observation;
    private final Map<String, String> context;

    AppendTrace(Observation observation, Map<String, String> context) {
        this.observation = observation;
        this.context = context;
    }

    /** The observation, or {@code null} for {@link #NONE}: the parent of the group commit that writes the append. */
    Observation observation() {
        return observation;
    }

    /** The request with the trace context in every event's metadata; the request itself when there is none. */
    AppendRequest stamp(AppendRequest request) {
        if (context.isEmpty()) {
            return request;
        }
        List<StreamAppend> appends = new ArrayList<>(request.appends().size());
        for (StreamAppend append : request.appends()) {
            appends.add(new StreamAppend(append.streamId(), append.expectedVersion(), stamp(append.events())));
        }
        return new AppendRequest(appends, request.idempotencyKey(), request.requestFingerprint());
    }

    /** The events with the trace context in their metadata; the events themselves when there is none. */
    List<NewEvent> stamp(List<NewEvent> events) {
        if (context.isEmpty() || events == null) {
            return events;
        }
        List<NewEvent> stamped = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            stamped.add(event.withMetadata(context));
        }
        return stamped;
    }

    /** Ends the observation: {@code success}, {@code conflict} (a version conflict) or {@code failure}. */
    void end(Throwable failure) {
        if (observation == null) {
            return;
        }
        String outcome = failure == null ? "success" : failure instanceof ConcurrencyException ? "conflict" : "failure";
        observation.lowCardinalityKeyValue("kappa.outcome", outcome);
        if (failure != null) {
            observation.error(failure);
        }
        observation.stop();
    }
}
