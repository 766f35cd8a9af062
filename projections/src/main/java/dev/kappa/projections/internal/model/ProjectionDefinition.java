package dev.kappa.projections.internal.model;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;

import dev.kappa.projections.CreateTables;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.FailureMode;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ProjectionTables;
import dev.kappa.projections.ResetContext;
import dev.kappa.projections.ResetHandler;

/**
 * A registered projection object and what its annotations declare, checked once at registration so that a mistake
 * fails there, with a message naming the class and the method, rather than on some event later. Immutable and
 * thread-safe (the projection object itself is the application's).
 */
public final class ProjectionDefinition {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,54}");

    private final Object target;
    private final String name;
    private final int version;
    private final int segments;
    private final boolean inMemory;
    private final FailureMode failureMode;
    private final List<String> tables;
    private final List<HandlerMethod> handlers;
    private final Method resetHandler;
    private final Method createTables;
    private final List<Field> caches;
    private final String topic;

    private ProjectionDefinition(Object target, Projection annotation, List<HandlerMethod> handlers,
                                 Method resetHandler, Method createTables, List<Field> caches) {
        this.target = target;
        this.name = annotation.value();
        this.version = annotation.version();
        this.segments = annotation.segments();
        this.inMemory = annotation.inMemory();
        this.failureMode = annotation.onFailure().length == 0 ? null : annotation.onFailure()[0];
        this.tables = List.of(annotation.tables());
        this.handlers = List.copyOf(handlers);
        this.resetHandler = resetHandler;
        this.createTables = createTables;
        this.caches = List.copyOf(caches);
        this.topic = annotation.topic();
    }

    /**
     * Reads and checks a projection object's annotations.
     *
     * @param maxSegments the most segments a projection may declare
     * @throws IllegalArgumentException if the class is not a valid projection; the message says what to change
     */
    public static ProjectionDefinition of(Object projection, int maxSegments) {
        Objects.requireNonNull(projection, "projection must not be null");
        Class<?> type = projection.getClass();
        Projection annotation = type.getAnnotation(Projection.class);
        if (annotation == null) {
            throw new IllegalArgumentException(type.getName() + " is not annotated @Projection(\"name\")");
        }
        String where = "projection '" + annotation.value() + "' (" + type.getName() + ")";
        checkAnnotation(annotation, where, maxSegments);
        List<HandlerMethod> handlers = new ArrayList<>();
        Method reset = null;
        Method create = null;
        Set<String> seen = new HashSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                boolean annotated = method.isAnnotationPresent(EventHandler.class)
                        || method.isAnnotationPresent(ResetHandler.class)
                        || method.isAnnotationPresent(CreateTables.class);
                // an annotated method overridden lower down is called once, and (being virtual) runs the override
                if (!annotated || method.isBridge() || method.isSynthetic()
                        || !seen.add(method.getName() + List.of(method.getParameterTypes()))) {
                    continue;
                }
                if (method.isAnnotationPresent(EventHandler.class)) {
                    handlers.add(handler(method, where, handlers));
                }
                if (method.isAnnotationPresent(ResetHandler.class)) {
                    reset = single(reset, method, "@ResetHandler", where);
                    requireParameters(method, where, "@ResetHandler", ResetContext.class);
                    if (method.getAnnotation(ResetHandler.class).toOffset() && method.getParameterCount() == 0) {
                        throw new IllegalArgumentException(where + ": @ResetHandler(toOffset = true) method "
                                + method.getName() + " must take a ResetContext, to learn the offset to go back to");
                    }
                }
                if (method.isAnnotationPresent(CreateTables.class)) {
                    create = single(create, method, "@CreateTables", where);
                    requireParameters(method, where, "@CreateTables", ProjectionTables.class);
                }
            }
        }
        if (handlers.isEmpty()) {
            throw new IllegalArgumentException(where + " has no @EventHandler method");
        }
        if (annotation.tables().length > 0 && create == null) {
            throw new IllegalArgumentException(where + " declares tables " + List.of(annotation.tables())
                    + " but no @CreateTables method to create them for each generation");
        }
        if (annotation.tables().length == 0 && create != null) {
            throw new IllegalArgumentException(where + " has a @CreateTables method but declares no tables:"
                    + " list them in @Projection(tables = ...)");
        }
        return new ProjectionDefinition(projection, annotation, handlers, reset, create, caches(type));
    }

    private static void checkAnnotation(Projection annotation, String where, int maxSegments) {
        if (!NAME.matcher(annotation.value()).matches()) {
            throw new IllegalArgumentException(where + ": a projection name must be 1 to 100 letters, digits,"
                    + " '_', '.' or '-', starting with a letter or digit");
        }
        if (annotation.segments() < 0 || annotation.segments() > maxSegments) {
            throw new IllegalArgumentException(where + " declares " + annotation.segments()
                    + " segments; declare 1 to " + maxSegments + ", or 0 for the runtime's default");
        }
        if (annotation.version() < 0) {
            throw new IllegalArgumentException(where + " declares version " + annotation.version()
                    + "; versions are 0 (unversioned) or more");
        }
        if (annotation.onFailure().length > 1) {
            throw new IllegalArgumentException(where + " declares " + annotation.onFailure().length
                    + " failure modes; declare one");
        }
        Set<String> tables = new HashSet<>();
        for (String table : annotation.tables()) {
            if (table == null || !TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException(where + " declares the table '" + table + "': table names must be"
                        + " lower-case SQL identifiers of at most 55 characters (a generation suffix is added)");
            }
            if (!tables.add(table)) {
                throw new IllegalArgumentException(where + " declares the table '" + table + "' twice");
            }
        }
        if (annotation.inMemory() && annotation.tables().length > 0) {
            throw new IllegalArgumentException(where + " is in memory and so cannot declare tables");
        }
    }

    private static HandlerMethod handler(Method method, String where, List<HandlerMethod> others) {
        Class<?>[] parameters = method.getParameterTypes();
        String signature = method.getName() + "(" + String.join(", ",
                List.of(parameters).stream().map(Class::getSimpleName).toList()) + ")";
        if (parameters.length < 1 || parameters.length > 2 || parameters[0] == EventContext.class
                || (parameters.length == 2 && parameters[1] != EventContext.class)) {
            throw new IllegalArgumentException(where + ": @EventHandler " + signature + " must take the event, and"
                    + " optionally an EventContext after it");
        }
        if (parameters[0].isPrimitive()) {
            throw new IllegalArgumentException(where + ": @EventHandler " + signature + " takes a primitive; events"
                    + " are records");
        }
        if (method.getReturnType() != void.class) {
            throw new IllegalArgumentException(where + ": @EventHandler " + signature + " must return void");
        }
        if (Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException(where + ": @EventHandler " + signature + " must not be static");
        }
        for (HandlerMethod other : others) {
            if (other.eventType() == parameters[0]) {
                throw new IllegalArgumentException(where + " has two @EventHandler methods for "
                        + parameters[0].getSimpleName() + ": " + other + " and " + signature);
            }
        }
        method.setAccessible(true);
        return new HandlerMethod(method, parameters[0], parameters.length == 2);
    }

    private static Method single(Method existing, Method method, String annotation, String where) {
        if (existing != null) {
            throw new IllegalArgumentException(where + " has two " + annotation + " methods: " + existing.getName()
                    + " and " + method.getName());
        }
        method.setAccessible(true);
        return method;
    }

    private static void requireParameters(Method method, String where, String annotation, Class<?> optional) {
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length > 1 || (parameters.length == 1 && parameters[0] != optional)
                || (optional == ProjectionTables.class && parameters.length == 0)) {
            String allowed = optional == ProjectionTables.class ? "a ProjectionTables"
                    : "no parameter or a " + optional.getSimpleName();
            throw new IllegalArgumentException(where + ": " + annotation + " method " + method.getName()
                    + " must take " + allowed);
        }
        if (Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException(where + ": " + annotation + " method " + method.getName()
                    + " must not be static");
        }
    }

    private static List<Field> caches(Class<?> type) {
        List<Field> caches = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && (Cache.class.isAssignableFrom(field.getType())
                        || AsyncCache.class.isAssignableFrom(field.getType()))) {
                    field.setAccessible(true);
                    caches.add(field);
                }
            }
        }
        return caches;
    }

    /** The projection object. */
    public Object target() {
        return target;
    }

    /** The projection's name. */
    public String name() {
        return name;
    }

    /** The code version. */
    public int version() {
        return version;
    }

    /** The declared segment count, 0 for the runtime's default. */
    public int declaredSegments() {
        return segments;
    }

    /** The topic it reads instead of the log, as its annotation names it; empty for the log. */
    public String topic() {
        return topic;
    }

    /** Whether the read model lives in memory. */
    public boolean inMemory() {
        return inMemory;
    }

    /** The declared failure mode, if any. */
    public Optional<FailureMode> failureMode() {
        return Optional.ofNullable(failureMode);
    }

    /** The declared logical tables; empty unless blue-green. */
    public List<String> tables() {
        return tables;
    }

    /** Whether it is rebuilt beside the old generation: it declares its tables. */
    public boolean blueGreen() {
        return !tables.isEmpty();
    }

    /** Its event handlers. */
    public List<HandlerMethod> handlers() {
        return handlers;
    }

    /** The table names of one of its generations. */
    public GenerationTables tables(int generation) {
        return blueGreen() ? GenerationTables.blueGreen(name, generation, tables)
                : GenerationTables.unchanged(name, generation);
    }

    /** Whether it has a {@code @ResetHandler}. */
    public boolean hasResetHandler() {
        return resetHandler != null;
    }

    /** Whether its {@code @ResetHandler} can bring the read model back to any offset, not just clear it. */
    public boolean resetsToOffset() {
        return resetHandler != null && resetHandler.getAnnotation(ResetHandler.class).toOffset();
    }

    /** Whether it holds Caffeine caches, which a reset to 0 can clear without a handler. */
    public boolean hasCaches() {
        return !caches.isEmpty();
    }

    /** Calls the {@code @ResetHandler}. */
    public void invokeResetHandler(ResetContext context) throws Exception {
        Invocations.invoke(resetHandler, target,
                resetHandler.getParameterCount() == 0 ? new Object[0] : new Object[] {context});
    }

    /** Calls the {@code @CreateTables} method. */
    public void invokeCreateTables(ProjectionTables generationTables) throws Exception {
        Invocations.invoke(createTables, target, generationTables);
    }

    /** Empties every Caffeine cache the projection holds in a field. */
    public void invalidateCaches() throws IllegalAccessException {
        for (Field field : caches) {
            Object cache = field.get(target);
            if (cache instanceof Cache<?, ?> sync) {
                sync.invalidateAll();
            } else if (cache instanceof AsyncCache<?, ?> async) {
                async.synchronous().invalidateAll();
            }
        }
    }

    @Override
    public String toString() {
        return "projection '" + name + "'" + (version > 0 ? " version " + version : "") + " ("
                + target.getClass().getName() + ")";
    }
}
