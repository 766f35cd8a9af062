package dev.kappa.framework.internal.gateway;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.kappa.eventstore.Snapshot;
import dev.kappa.eventstore.SnapshotStore;
import dev.kappa.framework.AggregateModel;

/**
 * Takes and reads snapshots of aggregates: their fields, written as JSON by a mapper that sees fields rather than
 * getters, so that an aggregate needs no accessors for it.
 *
 * <p>A snapshot is read back only if it was taken of the same class, at the same snapshot revision, with the same
 * fields (names and types); otherwise, or if it fails to read, the aggregate is rebuilt from all its events and a
 * warning says why. Snapshots are saved on a background thread: a failure to save is logged and never reaches the
 * command.
 *
 * <p>Thread-safe.
 */
final class AggregateSnapshots implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AggregateSnapshots.class);

    private final SnapshotStore store;
    private final JsonMapper fieldMapper = JsonMapper.builder()
            .changeDefaultVisibility(checker -> checker
                    .withFieldVisibility(Visibility.ANY)
                    .withGetterVisibility(Visibility.NONE)
                    .withIsGetterVisibility(Visibility.NONE)
                    .withSetterVisibility(Visibility.NONE))
            // an aggregate's class changed since the snapshot is caught by the fingerprint; anything else is an error
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final Map<Class<?>, String> fingerprints = new ConcurrentHashMap<>();
    private final Map<Class<?>, Boolean> warnedUnserialisable = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor writer;
    private final LongAdder saved = new LongAdder();

    AggregateSnapshots(SnapshotStore store) {
        this.store = store;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000), runnable -> {
            Thread thread = new Thread(runnable, "kappa-snapshot-writer");
            thread.setDaemon(true);
            return thread;
        }, (runnable, executor) -> log.debug("snapshot queue full; this snapshot is skipped, a later one will come"));
    }

    /** Whether saving a snapshot now, after going from {@code oldVersion} to {@code newVersion}, is due. */
    static boolean due(AggregateModel<?> model, long oldVersion, long newVersion) {
        int every = model.snapshotEvery();
        return every > 0 && newVersion / every > oldVersion / every;
    }

    /** Copies the aggregate's fields now (the caller holds its lock) and saves them in the background. */
    <A> void save(AggregateModel<A> model, String streamId, A aggregate, long version) {
        ObjectNode fields;
        try {
            fields = fieldMapper.valueToTree(aggregate);
        } catch (RuntimeException e) {
            if (warnedUnserialisable.putIfAbsent(model.aggregateClass(), Boolean.TRUE) == null) {
                log.warn("cannot snapshot {}: its fields do not serialise to JSON ({}); it is loaded from its events"
                        + " alone", model.aggregateClass().getSimpleName(), e.getMessage());
            }
            return;
        }
        SnapshotState state = new SnapshotState(model.aggregateClass().getName(), model.snapshotRevision(),
                fingerprint(model.aggregateClass()), fields);
        writer.execute(() -> {
            try {
                if (store.save(streamId, version, state)) {
                    saved.increment();
                }
            } catch (RuntimeException e) {
                log.warn("could not save the snapshot of stream '{}' at version {}: {}", streamId, version,
                        e.getMessage());
            }
        });
    }

    /** The latest usable snapshot of the stream, read into a new aggregate instance. */
    <A> Optional<LoadedAggregate<A>> load(AggregateModel<A> model, String streamId) {
        Optional<Snapshot<SnapshotState>> snapshot = store.load(streamId, SnapshotState.class);
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        SnapshotState state = snapshot.get().state();
        Class<A> type = model.aggregateClass();
        String reason = null;
        if (!type.getName().equals(state.aggregateType())) {
            reason = "it holds a " + state.aggregateType();
        } else if (state.revision() != model.snapshotRevision()) {
            reason = "it is of snapshot revision " + state.revision() + ", the class is at " + model.snapshotRevision();
        } else if (!fingerprint(type).equals(state.fingerprint())) {
            reason = "the fields of " + type.getSimpleName() + " changed since it was taken";
        } else if (state.fields() == null) {
            reason = "it holds no fields";
        }
        if (reason == null) {
            try {
                A instance = fieldMapper.readerForUpdating(model.newInstance()).readValue(state.fields());
                return Optional.of(new LoadedAggregate<>(instance, snapshot.get().version(), false));
            } catch (RuntimeException e) {
                reason = "it does not read back (" + e.getMessage() + ")";
            }
        }
        log.warn("ignoring the snapshot of stream '{}' at version {}: {}; replaying all its events instead",
                streamId, snapshot.get().version(), reason);
        return Optional.empty();
    }

    long savedCount() {
        return saved.sum();
    }

    /** Lets queued snapshots be written, for a few seconds at most. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Field names and generic types, sorted: any added, removed, renamed or retyped field changes it. */
    private String fingerprint(Class<?> type) {
        return fingerprints.computeIfAbsent(type, t -> {
            Map<String, String> fields = new TreeMap<>(Comparator.naturalOrder());
            for (Class<?> c = t; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
                        fields.put(c.getName() + "." + field.getName(), field.getGenericType().getTypeName());
                    }
                }
            }
            return Integer.toHexString(fields.toString().hashCode());
        });
    }
}
