package dev.kappa.eventstore.internal.codec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.kappa.eventstore.EncodedEvent;
import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.UnknownEventTypeException;
import dev.kappa.eventstore.Upcaster;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An {@link EventCodec} on a Jackson {@link JsonMapper}. Every stored type name is resolved to its class and upcaster
 * chain when the codec is built, so that {@link #classOf(String)} is a map lookup and decoding never searches.
 *
 * <p>Immutable and thread-safe: its maps are unmodifiable, a configured {@link JsonMapper} is thread-safe, and
 * upcasters are required to be.
 */
final class JacksonEventCodec implements EventCodec {

    private final Map<String, StoredType> storedTypes;
    private final Map<Class<?>, String> typeNames;
    private final JsonMapper mapper;

    JacksonEventCodec(Map<String, StoredType> storedTypes, Map<Class<?>, String> typeNames, JsonMapper mapper) {
        this.storedTypes = Map.copyOf(storedTypes);
        this.typeNames = Map.copyOf(typeNames);
        this.mapper = mapper;
    }

    @Override
    public EncodedEvent encode(Object event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        String typeName = typeName(event.getClass());
        try {
            return new EncodedEvent(typeName, mapper.writeValueAsString(event));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot serialise event " + event.getClass().getName()
                    + " (type '" + typeName + "') as JSON: " + messageOf(e), e);
        }
    }

    @Override
    public Object decode(LogRecord record) {
        Objects.requireNonNull(record, "record must not be null");
        StoredType storedType = storedTypes.get(record.type());
        if (storedType == null) {
            throw new UnknownEventTypeException(record.type(), record.offset());
        }
        Object event;
        try {
            event = storedType.upcasters().isEmpty()
                    ? mapper.readValue(record.payload(), storedType.eventClass())
                    : mapper.treeToValue(upcast(record, storedType), storedType.eventClass());
        } catch (JacksonException e) {
            // A mapping failure on well-formed JSON is the typical sign of a shape change nobody wrote an upcaster for.
            String hint = e instanceof DatabindException ? "; if the event's shape changed, add an upcaster" : "";
            throw new EventStoreException("cannot decode " + describe(record) + " as " + describe(storedType) + ": "
                    + messageOf(e) + hint, e);
        }
        if (event == null) {
            throw new EventStoreException("cannot decode " + describe(record) + " as " + describe(storedType)
                    + ": the payload is JSON null");
        }
        return event;
    }

    @Override
    public <T> T decode(LogRecord record, Class<T> type) {
        Objects.requireNonNull(record, "record must not be null");
        Objects.requireNonNull(type, "expected type must not be null");
        // Checked before decoding, since the class is known from the type name alone: no payload is parsed in vain.
        StoredType storedType = storedTypes.get(record.type());
        if (storedType != null && !type.isAssignableFrom(storedType.eventClass())) {
            throw new EventStoreException(describe(record) + " decodes to " + storedType.eventClass().getName()
                    + ", which is not a " + type.getName());
        }
        return type.cast(decode(record));
    }

    @Override
    public Optional<Class<?>> classOf(String storedType) {
        Objects.requireNonNull(storedType, "stored type must not be null");
        return Optional.ofNullable(storedTypes.get(storedType)).map(StoredType::eventClass);
    }

    @Override
    public String typeName(Class<?> eventClass) {
        Objects.requireNonNull(eventClass, "event class must not be null");
        String typeName = typeNames.get(eventClass);
        if (typeName == null) {
            throw new IllegalArgumentException("event type " + eventClass.getName()
                    + " is not registered with the EventCodec; register it with EventCodec.builder().register("
                    + eventClass.getSimpleName() + ".class)");
        }
        return typeName;
    }

    @Override
    public String writeValue(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getName() + " as JSON: "
                    + messageOf(e), e);
        }
    }

    @Override
    public <T> T readValue(String json, Class<T> type) {
        Objects.requireNonNull(json, "json must not be null");
        Objects.requireNonNull(type, "type must not be null");
        T value;
        try {
            value = mapper.readValue(json, type);
        } catch (JacksonException e) {
            throw new EventStoreException("cannot read JSON as " + type.getName() + ": " + messageOf(e), e);
        }
        if (value == null) {
            throw new EventStoreException("cannot read JSON as " + type.getName() + ": the JSON is null");
        }
        return value;
    }

    /** The tree is parsed from the record for this call alone, so upcasters may modify it in place. */
    private ObjectNode upcast(LogRecord record, StoredType storedType) {
        JsonNode tree = mapper.readTree(record.payload());
        if (!(tree instanceof ObjectNode payload)) {
            throw new EventStoreException("cannot upcast " + describe(record) + " to " + describe(storedType)
                    + ": the payload is not a JSON object but " + tree.getNodeType());
        }
        for (Upcaster upcaster : storedType.upcasters()) {
            try {
                payload = upcaster.upcast(payload);
            } catch (RuntimeException e) {
                // Upcasters are application code; the failure is reported with the record it happened on.
                throw new EventStoreException("upcaster " + upcaster + " failed on " + describe(record) + ": "
                        + e.getMessage(), e);
            }
        }
        return payload;
    }

    private static String describe(LogRecord record) {
        return "event '" + record.type() + "' at offset " + record.offset() + " of stream '" + record.streamId() + "'";
    }

    private static String describe(StoredType storedType) {
        return storedType.eventClass().getName() + (storedType.upcasters().isEmpty() ? ""
                : " (upcast " + JacksonEventCodecBuilder.chainToString(storedType.upcasters()) + ")");
    }

    /**
     * Jackson's message without its location, which is redacted by default and so says nothing, but with the
     * property path, which says where in the payload the problem is.
     */
    private static String messageOf(JacksonException e) {
        String path = e.getPath().isEmpty() ? "" : " (at " + e.getPathReference() + ")";
        return e.getOriginalMessage() + path;
    }

    /**
     * How records stored under one type name are read.
     *
     * @param eventClass the class they decode to
     * @param upcasters  the upcasters to apply in order; empty for the name of a registered class
     */
    record StoredType(Class<?> eventClass, List<Upcaster> upcasters) {

        StoredType {
            upcasters = List.copyOf(upcasters);
        }
    }
}
