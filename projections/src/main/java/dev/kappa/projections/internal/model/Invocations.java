package dev.kappa.projections.internal.model;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Calls a projection's annotated methods, throwing what they throw rather than a reflection wrapper. */
final class Invocations {

    private Invocations() {
    }

    static void invoke(Method method, Object target, Object... arguments) throws Exception {
        try {
            method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
