package dev.kappa.framework.internal.model;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Optional;

import dev.kappa.framework.InvalidAggregateIdException;
import dev.kappa.framework.TargetAggregateId;

/**
 * Reads the {@code @TargetAggregateId} of a command class: a record component's accessor or a field. Thread-safe
 * once built.
 */
final class TargetIdReader {

    private final AccessibleObject accessor;

    private TargetIdReader(AccessibleObject accessor) {
        this.accessor = accessor;
        if (accessor != null) {
            accessor.setAccessible(true);
        }
    }

    /** The reader for a command class; one that finds nothing if the class has no marked component. */
    static TargetIdReader of(Class<?> commandType) {
        if (commandType.isRecord()) {
            for (RecordComponent component : commandType.getRecordComponents()) {
                if (component.isAnnotationPresent(TargetAggregateId.class)) {
                    return new TargetIdReader(component.getAccessor());
                }
            }
        }
        for (Class<?> type = commandType; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(TargetAggregateId.class)) {
                    return new TargetIdReader(field);
                }
            }
        }
        return new TargetIdReader(null);
    }

    boolean present() {
        return accessor != null;
    }

    /**
     * The id the command names, if its class marks one.
     *
     * @throws InvalidAggregateIdException if the marked component is null
     */
    Optional<String> read(Object command, Class<?> aggregateType) {
        if (accessor == null) {
            return Optional.empty();
        }
        Object value;
        try {
            value = accessor instanceof Method method ? method.invoke(command) : ((Field) accessor).get(command);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the @TargetAggregateId of " + command.getClass().getSimpleName()
                    + " could not be read: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the @TargetAggregateId " + ((Member) accessor).getName() + " of "
                    + command.getClass().getSimpleName() + " is not accessible: " + e.getMessage(), e);
        }
        if (value == null) {
            throw new InvalidAggregateIdException(aggregateType, null, "is missing: the @TargetAggregateId "
                    + ((Member) accessor).getName() + " of " + command.getClass().getSimpleName()
                    + " is null; say which aggregate the command is for");
        }
        return Optional.of(value.toString());
    }
}
