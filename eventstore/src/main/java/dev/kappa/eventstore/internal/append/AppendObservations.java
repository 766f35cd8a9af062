package dev.kappa.eventstore.internal.append;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

import dev.kappa.eventstore.AppendRequest;

/**
 * Micrometer observations of appends ({@value #APPEND}) and group commits ({@value #GROUP_COMMIT}). An append is a
 * sender observation whose carrier is a map of metadata entries: whatever trace context a tracing bridge propagates
 * lands in every event of the append. A group commit runs on the writer thread as a child of the first observed
 * append it holds. With a registry that observes nothing ({@link ObservationRegistry#isNoop()}), nothing is allocated.
 *
 * <p>Thread-safe: it holds nothing but the registry.
 */
final class AppendObservations {

    static final String APPEND = "kappa.append";
    static final String GROUP_COMMIT = "kappa.group-commit";
    /** Where the events go, for the sender observation: the log. */
    static final String REMOTE_SERVICE = "kappa-log";

    private final ObservationRegistry registry;

    AppendObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /**
     * Starts observing an append request, as a child of the current observation (a command's, say);
     * {@link AppendTrace#NONE} when nothing is observed.
     */
    AppendTrace start(AppendRequest request) {
        if (registry.isNoop()) {
            return AppendTrace.NONE;
        }
        Objects.requireNonNull(request, "append request must not be null");
        return start(request.appends().get(0).streamId(), request.appends().size());
    }

    /**
     * Starts observing an append to {@code streamId} (the first stream, when there are several), as a child of the
     * current observation; {@link AppendTrace#NONE} when nothing is observed.
     */
    AppendTrace start(String streamId, int streams) {
        if (registry.isNoop()) {
            return AppendTrace.NONE;
        }
        Map<String, String> carrier = new LinkedHashMap<>();
        SenderContext<Map<String, String>> context = new SenderContext<>(
                (entries, key, value) -> entries.put(key, value), Kind.PRODUCER);
        context.setCarrier(carrier);
        context.setRemoteServiceName(REMOTE_SERVICE);
        Observation observation = Observation.createNotStarted(APPEND, () -> context, registry)
                .lowCardinalityKeyValue("kappa.streams", streams == 1 ? "one" : "several")
                .highCardinalityKeyValue("kappa.stream", streamId)
                .start();
        return new AppendTrace(observation, carrier);
    }

    /**
     * Runs {@code commit} on the batch, observed as a child of the first append in it that is observed; unobserved
     * when none is.
     */
    void groupCommit(List<PendingAppend> batch, Consumer<List<PendingAppend>> commit) {
        Observation parent = registry.isNoop() ? null : firstObserved(batch);
        if (parent == null) {
            commit.accept(batch);
            return;
        }
        int events = 0;
        for (PendingAppend pending : batch) {
            events += pending.append().eventCount();
        }
        Observation.createNotStarted(GROUP_COMMIT, registry)
                .parentObservation(parent)
                .highCardinalityKeyValue("kappa.appends", Integer.toString(batch.size()))
                .highCardinalityKeyValue("kappa.events", Integer.toString(events))
                .observe(() -> commit.accept(batch));
    }

    private static Observation firstObserved(List<PendingAppend> batch) {
        for (PendingAppend pending : batch) {
            if (pending.observation() != null) {
                return pending.observation();
            }
        }
        return null;
    }
}
