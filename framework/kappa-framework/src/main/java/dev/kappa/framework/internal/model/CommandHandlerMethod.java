package dev.kappa.framework.internal.model;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.kappa.framework.CommandMessage;

/**
 * One {@code @CommandHandler} method: static (creates the aggregate) or not, taking the command and optionally its
 * message, returning the decided events in one of the accepted shapes. Immutable and thread-safe.
 */
final class CommandHandlerMethod {

    private final Method method;
    private final boolean creates;
    private final boolean takesMessage;

    CommandHandlerMethod(Method method) {
        this.method = method;
        this.creates = java.lang.reflect.Modifier.isStatic(method.getModifiers());
        this.takesMessage = method.getParameterCount() == 2;
        method.setAccessible(true);
    }

    Class<?> commandType() {
        return method.getParameterTypes()[0];
    }

    boolean creates() {
        return creates;
    }

    Method method() {
        return method;
    }

    List<Object> invoke(Object aggregate, CommandMessage<?> message) {
        Object[] arguments = takesMessage ? new Object[] {message.command(), message} : new Object[] {message.command()};
        Object returned;
        try {
            returned = method.invoke(creates ? null : aggregate, arguments);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + describe() + ": " + e.getMessage(), e);
        }
        return events(returned);
    }

    String describe() {
        return ModelProblems.describe(method);
    }

    private List<Object> events(Object returned) {
        if (returned == null) {
            return List.of();
        }
        if (returned instanceof Optional<?> optional) {
            return optional.<List<Object>>map(List::of).orElse(List.of());
        }
        if (returned instanceof Collection<?> collection) {
            List<Object> events = new ArrayList<>(collection.size());
            for (Object event : collection) {
                if (event == null) {
                    throw new IllegalStateException(describe() + " returned a collection holding null; return only"
                            + " events");
                }
                events.add(event);
            }
            return events;
        }
        return List.of(returned);
    }

    /** Business exceptions reach the caller as they were thrown; only checked ones need a wrapper to get there. */
    private RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new UndeclaredThrowableException(cause, describe() + " threw " + cause);
    }
}
