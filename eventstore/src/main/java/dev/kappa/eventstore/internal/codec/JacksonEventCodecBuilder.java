package dev.kappa.eventstore.internal.codec;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventType;
import dev.kappa.eventstore.Upcaster;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds a {@link JacksonEventCodec}. Registration and upcaster conflicts are reported as early as they can be known:
 * name clashes on {@link #register}, duplicate upcasters on {@link #upcaster}, and everything that needs the whole
 * picture (upcasters shadowing registered names, cycles, chains leading nowhere) on {@link #build()}.
 *
 * <p>This class is not thread-safe; configure it on one thread and build once. The codec it builds shares no state
 * with it.
 */
public final class JacksonEventCodecBuilder implements EventCodec.Builder {

    private final Map<String, Class<?>> classesByName = new LinkedHashMap<>();
    private final Map<String, Upcaster> upcastersByFromType = new LinkedHashMap<>();
    private JsonMapper mapper;

    /** Use {@link EventCodec#builder()}. */
    public JacksonEventCodecBuilder() {
    }

    @Override
    public EventCodec.Builder register(Class<?>... eventClasses) {
        Objects.requireNonNull(eventClasses, "event classes must not be null");
        Set<Class<?>> concreteClasses = new LinkedHashSet<>();
        for (int i = 0; i < eventClasses.length; i++) {
            if (eventClasses[i] == null) {
                throw new NullPointerException("event class at index " + i + " must not be null");
            }
            collectConcreteClasses(eventClasses[i], null, concreteClasses);
        }
        // Staged so that a failing call leaves the builder as it was, not half-registered.
        Map<String, Class<?>> staged = new LinkedHashMap<>();
        for (Class<?> eventClass : concreteClasses) {
            String name = typeNameOf(eventClass);
            Class<?> taken = staged.containsKey(name) ? staged.get(name) : classesByName.get(name);
            if (taken != null && taken != eventClass) {
                throw new IllegalArgumentException("event type name '" + name + "' is taken by both "
                        + taken.getName() + " and " + eventClass.getName()
                        + "; give one of them a different name with @EventType");
            }
            staged.put(name, eventClass);
        }
        classesByName.putAll(staged);
        return this;
    }

    @Override
    public EventCodec.Builder upcaster(Upcaster upcaster) {
        Objects.requireNonNull(upcaster, "upcaster must not be null");
        // Upcaster is an open interface, so implementations other than Upcaster.of(...) are not validated for us.
        String fromType = upcaster.fromType();
        if (fromType == null || fromType.isBlank()) {
            throw new IllegalArgumentException("upcaster " + upcaster + " has a blank source type");
        }
        if (upcaster.toType() == null || upcaster.toType().isBlank()) {
            throw new IllegalArgumentException("upcaster " + upcaster + " has a blank target type");
        }
        Upcaster existing = upcastersByFromType.get(fromType);
        if (existing != null) {
            throw new IllegalArgumentException("upcasters " + existing + " and " + upcaster + " both read '" + fromType
                    + "'; a stored type name must upcast one way only, so merge them into one upcaster");
        }
        upcastersByFromType.put(fromType, upcaster);
        return this;
    }

    @Override
    public EventCodec.Builder jsonMapper(JsonMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "JSON mapper must not be null");
        return this;
    }

    @Override
    public EventCodec build() {
        Map<String, JacksonEventCodec.StoredType> storedTypes = new HashMap<>();
        Map<Class<?>, String> typeNames = new HashMap<>();
        classesByName.forEach((name, eventClass) -> {
            storedTypes.put(name, new JacksonEventCodec.StoredType(eventClass, List.of()));
            typeNames.put(eventClass, name);
        });
        for (Upcaster upcaster : upcastersByFromType.values()) {
            Class<?> shadowed = classesByName.get(upcaster.fromType());
            if (shadowed != null) {
                throw new IllegalArgumentException("upcaster " + upcaster + " reads '" + upcaster.fromType()
                        + "', which is the name of the registered class " + shadowed.getName()
                        + "; a stored name is either current or upcast, never both: give the current class the"
                        + " @EventType name the upcasters lead to, or drop the upcaster");
            }
        }
        for (Upcaster first : upcastersByFromType.values()) {
            List<Upcaster> chain = chainFrom(first);
            String finalType = chain.get(chain.size() - 1).toType();
            storedTypes.put(first.fromType(), new JacksonEventCodec.StoredType(classesByName.get(finalType), chain));
        }
        return new JacksonEventCodec(storedTypes, typeNames, mapper != null ? mapper : defaultMapper());
    }

    /**
     * Follows upcasters from {@code first} until one produces a registered name. Done once per stored name at build
     * time, so that decoding never walks or validates a chain.
     */
    private List<Upcaster> chainFrom(Upcaster first) {
        List<Upcaster> chain = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        seen.add(first.fromType());
        Upcaster next = first;
        while (next != null) {
            chain.add(next);
            if (!seen.add(next.toType())) {
                throw new IllegalArgumentException("upcasters form a cycle: " + chainToString(chain)
                        + "; a chain of upcasters must end in the name of a registered event class");
            }
            next = upcastersByFromType.get(next.toType());
        }
        String finalType = chain.get(chain.size() - 1).toType();
        if (!classesByName.containsKey(finalType)) {
            throw new IllegalArgumentException("upcaster chain " + chainToString(chain) + " ends in '" + finalType
                    + "', which is not a registered event type; register the class named '" + finalType
                    + "' or add an upcaster from '" + finalType + "'");
        }
        return chain;
    }

    static String chainToString(List<Upcaster> chain) {
        return chain.get(0).fromType() + chain.stream().map(upcaster -> " -> " + upcaster.toType())
                .collect(Collectors.joining());
    }

    /**
     * Adds {@code type} if it can have instances, and the permitted subclasses of a sealed type: registering a
     * sealed event hierarchy by its root is what keeps it complete when a subtype is added.
     */
    private static void collectConcreteClasses(Class<?> type, Class<?> sealedParent, Set<Class<?>> into) {
        if (type.isPrimitive() || type.isArray()) {
            throw new IllegalArgumentException(type.getName() + " is not an event class; register records or classes");
        }
        boolean concrete = !type.isInterface() && !Modifier.isAbstract(type.getModifiers());
        // Enum constants with bodies make an enum implicitly sealed, but the enum itself is the event class.
        if (type.isSealed() && !type.isEnum()) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                collectConcreteClasses(permitted, type, into);
            }
        } else if (!concrete) {
            throw new IllegalArgumentException((type.isInterface() ? "interface " : "abstract class ")
                    + type.getName() + (sealedParent == null ? "" : " (permitted by " + sealedParent.getName() + ")")
                    + " cannot be registered as an event type: register its concrete classes, or make it sealed"
                    + " so that its permitted subclasses are registered");
        }
        if (concrete) {
            into.add(type);
        }
    }

    private static String typeNameOf(Class<?> eventClass) {
        EventType annotation = eventClass.getAnnotation(EventType.class);
        String name = annotation != null ? annotation.value() : eventClass.getSimpleName();
        if (name.isBlank()) {
            throw new IllegalArgumentException("event type name of " + eventClass.getName() + " must not be blank;"
                    + " annotate it with @EventType(\"SomeName\")");
        }
        return name;
    }

    private static JsonMapper defaultMapper() {
        // Tolerant reader: events written by a newer version (with more fields) still decode in older code.
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
