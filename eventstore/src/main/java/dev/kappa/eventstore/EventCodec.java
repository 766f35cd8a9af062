package dev.kappa.eventstore;

import java.util.Optional;

import dev.kappa.eventstore.internal.codec.JacksonEventCodecBuilder;

/**
 * Maps events (Java records) to JSON and back, under stable type names.
 *
 * <p>Every event type is registered up front, so that whatever is written can be read back: encoding an
 * unregistered type fails before anything is written, and decoding a stored type that is neither registered nor
 * upcast to a registered one raises {@link UnknownEventTypeException}, never a silent skip.
 *
 * <pre>{@code
 * EventCodec codec = EventCodec.builder()
 *         .register(AccountOpened.class, MoneyDeposited.class)
 *         .upcaster(Upcaster.of("AccountCreated", "AccountOpened", json -> json))
 *         .build();
 * }</pre>
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface EventCodec {

    /** A builder for a Jackson-based codec. */
    static Builder builder() {
        return new JacksonEventCodecBuilder();
    }

    /**
     * Encodes an event.
     *
     * @throws IllegalArgumentException if its type is not registered or it cannot be serialised
     */
    EncodedEvent encode(Object event);

    /**
     * Decodes a record's payload, upcasting it first if it was stored under an older type name.
     *
     * @throws UnknownEventTypeException if the stored type (after upcasting) is not registered
     * @throws EventStoreException       if the payload does not fit the type (an upcaster is missing, say)
     */
    Object decode(LogRecord record);

    /** {@link #decode(LogRecord)}, checking the result is a {@code type}. */
    <T> T decode(LogRecord record, Class<T> type);

    /**
     * The class a stored type name decodes to, after upcasting, without touching any payload: lets a reader skip
     * records it has no use for cheaply.
     *
     * @return the class, or empty if the name is unknown
     */
    Optional<Class<?>> classOf(String storedType);

    /**
     * The stable name of a registered event class.
     *
     * @throws IllegalArgumentException if the class is not registered
     */
    String typeName(Class<?> eventClass);

    /** Serialises a non-event value (an aggregate's snapshot state, say) with the codec's JSON settings. */
    String writeValue(Object value);

    /** Reads a value written by {@link #writeValue(Object)}. */
    <T> T readValue(String json, Class<T> type);

    /** Builds an {@link EventCodec}. Not thread-safe; build once. */
    interface Builder {

        /**
         * Registers event classes under their {@link EventType} names (or simple names). A sealed interface registers
         * all its permitted record subtypes.
         *
         * @throws IllegalArgumentException if a name is blank or already taken by another class
         */
        Builder register(Class<?>... eventClasses);

        /**
         * Adds an upcaster.
         *
         * @throws IllegalArgumentException if another upcaster already reads the same type name
         */
        Builder upcaster(Upcaster upcaster);

        /**
         * Uses this Jackson mapper instead of the default one (which ignores unknown properties, so that events
         * written by newer code still decode).
         */
        Builder jsonMapper(tools.jackson.databind.json.JsonMapper mapper);

        /**
         * Builds the codec.
         *
         * @throws IllegalArgumentException if an upcaster reads a registered type name, upcasters form a cycle, or a
         *                                  chain of upcasters ends in a name that is not registered
         */
        EventCodec build();
    }
}
