package dev.kappa.test.internal;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.kappa.eventstore.EncodedEvent;
import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.LogRecord;

/**
 * The Jackson event codec, registering each event class the first time it is asked to encode one: a fixture's test
 * then need not list the event types of its given events. Every call goes to a real codec built with
 * {@link EventCodec#builder()}, rebuilt with the new class; a class whose type name is taken by another fails as it
 * would in {@code register}.
 *
 * <p>Thread-safe: the test thread encodes, the projection's workers decode.
 */
final class RegisteringCodec implements EventCodec {

    private final Set<Class<?>> registered = new LinkedHashSet<>();
    private volatile EventCodec codec = EventCodec.builder().build();

    @Override
    public EncodedEvent encode(Object event) {
        Objects.requireNonNull(event, "event must not be null");
        register(event.getClass());
        return codec.encode(event);
    }

    @Override
    public Object decode(LogRecord record) {
        return codec.decode(record);
    }

    @Override
    public <T> T decode(LogRecord record, Class<T> type) {
        return codec.decode(record, type);
    }

    @Override
    public Optional<Class<?>> classOf(String storedType) {
        return codec.classOf(storedType);
    }

    @Override
    public String typeName(Class<?> eventClass) {
        return codec.typeName(eventClass);
    }

    @Override
    public String writeValue(Object value) {
        return codec.writeValue(value);
    }

    @Override
    public <T> T readValue(String json, Class<T> type) {
        return codec.readValue(json, type);
    }

    private synchronized void register(Class<?> eventClass) {
        if (registered.contains(eventClass)) {
            return;
        }
        Set<Class<?>> classes = new LinkedHashSet<>(registered);
        classes.add(eventClass);
        // built before it is recorded, so that a class the codec refuses leaves the earlier ones in service
        codec = EventCodec.builder().register(classes.toArray(Class<?>[]::new)).build();
        registered.add(eventClass);
    }
}
