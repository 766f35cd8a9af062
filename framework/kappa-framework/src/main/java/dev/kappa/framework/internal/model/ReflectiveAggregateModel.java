package dev.kappa.framework.internal.model;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.kappa.eventstore.StreamAppend;
import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.AggregateModel;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.EventSourcingHandler;
import dev.kappa.framework.InvalidAggregateIdException;
import dev.kappa.framework.NoHandlerForCommandException;

/**
 * An {@link AggregateModel} read from the class's annotations by reflection. {@link #inspect} checks everything it
 * can before the first command: every problem found names the class and method and says what to do.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReflectiveAggregateModel<A> implements AggregateModel<A> {

    private final Class<A> aggregateClass;
    private final Aggregate annotation;
    private final String streamPrefix;
    private final Constructor<A> constructor;
    private final Field idField;
    private final Map<Class<?>, CommandHandlerMethod> commandHandlers;
    private final EventSourcingHandlers eventSourcingHandlers;
    private final Map<Class<?>, TargetIdReader> targetIds = new ConcurrentHashMap<>();

    private ReflectiveAggregateModel(Class<A> aggregateClass, Aggregate annotation, Constructor<A> constructor,
                                     Field idField, Map<Class<?>, CommandHandlerMethod> commandHandlers,
                                     EventSourcingHandlers eventSourcingHandlers) {
        this.aggregateClass = aggregateClass;
        this.annotation = annotation;
        this.streamPrefix = annotation.streamPrefix().isEmpty()
                ? aggregateClass.getSimpleName().toLowerCase(Locale.ROOT) + "-"
                : annotation.streamPrefix();
        this.constructor = constructor;
        this.idField = idField;
        this.commandHandlers = Map.copyOf(commandHandlers);
        this.eventSourcingHandlers = eventSourcingHandlers;
    }

    /**
     * Reads and checks an aggregate class.
     *
     * @throws dev.kappa.framework.AggregateConfigurationException listing every problem found
     */
    public static <A> ReflectiveAggregateModel<A> inspect(Class<A> aggregateClass) {
        ModelProblems problems = new ModelProblems();
        ReflectiveAggregateModel<A> model = inspect(aggregateClass, problems);
        problems.throwIfAny();
        return model;
    }

    /** Reads an aggregate class, adding what is wrong with it to {@code problems}; the model is null if unusable. */
    public static <A> ReflectiveAggregateModel<A> inspect(Class<A> aggregateClass, ModelProblems problems) {
        String name = aggregateClass.getSimpleName();
        Aggregate annotation = aggregateClass.getAnnotation(Aggregate.class);
        if (annotation == null) {
            problems.add(name + " is not annotated with @Aggregate; annotate it, or do not register it as an aggregate");
            return null;
        }
        if (annotation.snapshotEvery() < 0) {
            problems.add("@Aggregate(snapshotEvery = " + annotation.snapshotEvery() + ") on " + name
                    + " must not be negative; use 0 for no snapshots");
        }
        Constructor<A> constructor = noArgumentConstructor(aggregateClass, problems);
        Field idField = idField(aggregateClass, problems);
        Map<Class<?>, Method> sourcingMethods = eventSourcingMethods(aggregateClass, problems);
        EventSourcingHandlers sourcing = new EventSourcingHandlers(sourcingMethods);
        Map<Class<?>, CommandHandlerMethod> handlers = commandHandlers(aggregateClass, sourcing, problems);
        if (handlers.values().stream().noneMatch(CommandHandlerMethod::creates)) {
            problems.add(name + " has no static @CommandHandler to create it; add one, e.g. `@CommandHandler static "
                    + "SomethingOpened open(OpenSomething command)`");
        }
        if (constructor == null || idField == null) {
            return null;
        }
        return new ReflectiveAggregateModel<>(aggregateClass, annotation, constructor, idField, handlers, sourcing);
    }

    @Override
    public Class<A> aggregateClass() {
        return aggregateClass;
    }

    /**
     * {@inheritDoc}
     *
     * @throws InvalidAggregateIdException if the id is null, or cannot name a stream (too long for the prefix, or
     *                                     with control characters)
     */
    @Override
    public String streamId(String aggregateId) {
        if (aggregateId == null) {
            throw new InvalidAggregateIdException(aggregateClass, null, "is missing: the command must name one");
        }
        int longest = StreamAppend.MAX_STREAM_ID_LENGTH - streamPrefix.length();
        if (aggregateId.length() > longest) {
            throw new InvalidAggregateIdException(aggregateClass, aggregateId, "has " + aggregateId.length()
                    + " characters: it must have at most " + longest);
        }
        for (int i = 0; i < aggregateId.length(); i++) {
            if (Character.isISOControl(aggregateId.charAt(i))) {
                throw new InvalidAggregateIdException(aggregateClass, aggregateId,
                        "has a control character at index " + i + ": it must have none");
            }
        }
        return streamPrefix + aggregateId;
    }

    @Override
    public String aggregateIdOf(String streamId) {
        if (!streamId.startsWith(streamPrefix)) {
            throw new IllegalArgumentException("stream '" + streamId + "' is not a " + aggregateClass.getSimpleName()
                    + " stream: those start with '" + streamPrefix + "'");
        }
        return streamId.substring(streamPrefix.length());
    }

    @Override
    public int snapshotEvery() {
        return annotation.snapshotEvery();
    }

    @Override
    public int snapshotRevision() {
        return annotation.snapshotRevision();
    }

    @Override
    public Set<Class<?>> commandTypes() {
        return commandHandlers.keySet();
    }

    @Override
    public boolean createsAggregate(Class<?> commandType) {
        CommandHandlerMethod handler = commandHandlers.get(commandType);
        return handler != null && handler.creates();
    }

    @Override
    public Set<Class<?>> eventTypes() {
        return eventSourcingHandlers.parameterTypes();
    }

    @Override
    public A newInstance() {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the no-argument constructor of " + aggregateClass.getSimpleName()
                    + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a " + aggregateClass.getSimpleName() + ": " + e, e);
        }
    }

    @Override
    public void apply(A aggregate, Object event) {
        eventSourcingHandlers.apply(aggregate, event);
    }

    @Override
    public List<Object> handle(A aggregate, CommandMessage<?> message) {
        CommandHandlerMethod handler = commandHandlers.get(message.command().getClass());
        if (handler == null) {
            throw new NoHandlerForCommandException(message.command().getClass());
        }
        if (!handler.creates() && aggregate == null) {
            throw new IllegalArgumentException(handler.describe() + " acts on an existing aggregate: pass one");
        }
        List<Object> events = handler.invoke(aggregate, message);
        for (Object event : events) {
            if (!eventSourcingHandlers.handles(event.getClass())) {
                throw new IllegalStateException(handler.describe() + " returned " + event.getClass().getName()
                        + ", which no @EventSourcingHandler of " + aggregateClass.getSimpleName()
                        + " takes; add one (it may be empty). Nothing was appended");
            }
        }
        return events;
    }

    @Override
    public Creation<A> create(CommandMessage<?> message) {
        Class<?> commandType = message.command().getClass();
        if (!createsAggregate(commandType)) {
            throw new NoHandlerForCommandException(commandType);
        }
        String name = aggregateClass.getSimpleName();
        List<Object> events = handle(null, message);
        if (events.isEmpty()) {
            throw new IllegalStateException("the @CommandHandler for " + commandType.getSimpleName() + " in " + name
                    + " created nothing: a handler that creates an aggregate must return at least one event");
        }
        A aggregate = newInstance();
        for (Object event : events) {
            apply(aggregate, event);
        }
        String aggregateId = aggregateId(aggregate);
        if (aggregateId == null) {
            throw new IllegalStateException("after " + events.get(0).getClass().getSimpleName() + ", the @AggregateId of "
                    + name + " is still null: set it in that event's @EventSourcingHandler. Nothing was appended");
        }
        Optional<String> target = targetAggregateId(message.command());
        if (target.isPresent() && !target.get().equals(aggregateId)) {
            throw new IllegalStateException(commandType.getSimpleName() + " names " + name + " '" + target.get()
                    + "' but its events created '" + aggregateId + "'. Nothing was appended");
        }
        return new Creation<>(aggregate, aggregateId, events);
    }

    @Override
    public Optional<String> targetAggregateId(Object command) {
        return targetIds.computeIfAbsent(command.getClass(), TargetIdReader::of).read(command, aggregateClass);
    }

    @Override
    public String aggregateId(A aggregate) {
        try {
            Object id = idField.get(aggregate);
            return id == null ? null : id.toString();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the @AggregateId of " + aggregateClass.getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "AggregateModel[" + aggregateClass.getName() + ", streams '" + streamPrefix + "…']";
    }

    private static <A> Constructor<A> noArgumentConstructor(Class<A> type, ModelProblems problems) {
        try {
            Constructor<A> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            if (Modifier.isAbstract(type.getModifiers())) {
                problems.add(type.getSimpleName() + " is abstract; an aggregate must be a concrete class");
                return null;
            }
            return constructor;
        } catch (NoSuchMethodException e) {
            problems.add(type.getSimpleName() + " has no no-argument constructor; add one (it may be private) so that"
                    + " Kappa can rebuild it from its events");
            return null;
        }
    }

    private static Field idField(Class<?> type, ModelProblems problems) {
        Field found = null;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!field.isAnnotationPresent(AggregateId.class)) {
                    continue;
                }
                if (found != null) {
                    problems.add(type.getSimpleName() + " has two @AggregateId fields, " + found.getName() + " and "
                            + field.getName() + "; keep one");
                    return null;
                }
                if (Modifier.isStatic(field.getModifiers())) {
                    problems.add("@AggregateId field " + type.getSimpleName() + "." + field.getName()
                            + " is static; it must be an instance field");
                    return null;
                }
                found = field;
            }
        }
        if (found == null) {
            problems.add(type.getSimpleName() + " has no @AggregateId field; annotate the field that holds its id"
                    + " and set it in the event-sourcing handler of its first event");
            return null;
        }
        found.setAccessible(true);
        return found;
    }

    private static Map<Class<?>, Method> eventSourcingMethods(Class<?> type, ModelProblems problems) {
        Map<Class<?>, Method> handlers = new HashMap<>();
        for (Method method : methodsOf(type)) {
            if (!method.isAnnotationPresent(EventSourcingHandler.class)) {
                continue;
            }
            String where = ModelProblems.describe(method);
            if (Modifier.isStatic(method.getModifiers())) {
                problems.add("@EventSourcingHandler " + where + " is static; it must be an instance method that"
                        + " changes the aggregate's state");
                continue;
            }
            if (method.getParameterCount() != 1) {
                problems.add("@EventSourcingHandler " + where + " must take exactly one parameter, the event, but takes "
                        + method.getParameterCount());
                continue;
            }
            if (method.getReturnType() != void.class) {
                problems.add("@EventSourcingHandler " + where + " must return void: it records what happened and"
                        + " decides nothing");
                continue;
            }
            Class<?> eventType = method.getParameterTypes()[0];
            Method previous = handlers.putIfAbsent(eventType, method);
            if (previous != null) {
                problems.add(eventType.getSimpleName() + " is handled twice in " + type.getSimpleName() + ", by "
                        + ModelProblems.describe(previous) + " and " + where + "; keep one @EventSourcingHandler per"
                        + " event type");
            }
        }
        return handlers;
    }

    private static Map<Class<?>, CommandHandlerMethod> commandHandlers(Class<?> type, EventSourcingHandlers sourcing,
                                                                     ModelProblems problems) {
        Map<Class<?>, CommandHandlerMethod> handlers = new LinkedHashMap<>();
        for (Method method : methodsOf(type)) {
            if (!method.isAnnotationPresent(CommandHandler.class)) {
                continue;
            }
            String where = ModelProblems.describe(method);
            if (!parametersFit(method, where, problems)) {
                continue;
            }
            CommandHandlerMethod handler = new CommandHandlerMethod(method);
            CommandHandlerMethod previous = handlers.putIfAbsent(handler.commandType(), handler);
            if (previous != null) {
                problems.add(handler.commandType().getSimpleName() + " is handled twice, by " + previous.describe()
                        + " and " + where + "; a command type has exactly one @CommandHandler");
                continue;
            }
            if (!handler.creates() && !TargetIdReader.of(handler.commandType()).present()) {
                problems.add(handler.commandType().getSimpleName() + ", handled by " + where + ", has no"
                        + " @TargetAggregateId; mark the component that names the " + type.getSimpleName()
                        + " it is for");
            }
            for (Class<?> emitted : declaredEventTypes(method.getGenericReturnType())) {
                if (!covered(emitted, sourcing)) {
                    problems.add(where + " returns " + emitted.getSimpleName() + ", which no @EventSourcingHandler of "
                            + type.getSimpleName() + " takes; add one (it may be empty)");
                }
            }
        }
        return handlers;
    }

    private static boolean parametersFit(Method method, String where, ModelProblems problems) {
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length == 0 || parameters.length > 2) {
            problems.add("@CommandHandler " + where + " must take the command, and optionally its CommandMessage, but"
                    + " takes " + parameters.length + " parameters");
            return false;
        }
        if (parameters[0] == CommandMessage.class || parameters[0].isPrimitive() || parameters[0] == Object.class
                || parameters[0] == String.class) {
            problems.add("@CommandHandler " + where + " must take a command type of its own as its first parameter,"
                    + " not " + parameters[0].getSimpleName() + "; commands are routed by their type");
            return false;
        }
        if (parameters.length == 2 && parameters[1] != CommandMessage.class) {
            problems.add("@CommandHandler " + where + " may take a CommandMessage as its second parameter, not "
                    + parameters[1].getSimpleName());
            return false;
        }
        return true;
    }

    /** The event types a handler's declared return type lets us check; none for void or Object. */
    private static Set<Class<?>> declaredEventTypes(Type returnType) {
        Set<Class<?>> types = new LinkedHashSet<>();
        if (returnType instanceof Class<?> type) {
            if (type != void.class && type != Void.class && type != Object.class
                    && !Collection.class.isAssignableFrom(type) && type != Optional.class) {
                types.add(type);
            }
        } else if (returnType instanceof ParameterizedType parameterized
                && parameterized.getRawType() instanceof Class<?> raw
                && (Collection.class.isAssignableFrom(raw) || raw == Optional.class)) {
            Type element = parameterized.getActualTypeArguments()[0];
            if (element instanceof WildcardType wildcard) {
                element = wildcard.getUpperBounds()[0];
            }
            if (element instanceof Class<?> elementType && elementType != Object.class) {
                types.add(elementType);
            }
        }
        return types;
    }

    /** Whether every event an expression of this type can hold has a handler: itself, or all its permitted subtypes. */
    private static boolean covered(Class<?> type, EventSourcingHandlers sourcing) {
        if (sourcing.handles(type)) {
            return true;
        }
        Class<?>[] permitted = type.getPermittedSubclasses();
        if (permitted == null || permitted.length == 0) {
            return false;
        }
        for (Class<?> subtype : permitted) {
            if (!covered(subtype, sourcing)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The class's methods and its superclasses', each class's in the order of their signatures: the JVM returns
     * declared methods in no particular order, and the problems found must read the same at every start.
     */
    private static List<Method> methodsOf(Class<?> type) {
        List<Method> methods = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Arrays.stream(c.getDeclaredMethods())
                    .filter(method -> !method.isSynthetic() && !method.isBridge())
                    .sorted(Comparator.comparing(Method::toGenericString))
                    .forEach(methods::add);
        }
        return methods;
    }
}
