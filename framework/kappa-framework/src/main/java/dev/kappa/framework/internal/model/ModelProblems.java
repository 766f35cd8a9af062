package dev.kappa.framework.internal.model;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.kappa.framework.AggregateConfigurationException;

/** Collects what is wrong with aggregate classes, so that all problems are reported together. Not thread-safe. */
public final class ModelProblems {

    private final List<String> problems = new ArrayList<>();

    /** Adds a problem. */
    public void add(String problem) {
        problems.add(problem);
    }

    /** Adds the problems of another collection. */
    void addAll(List<String> more) {
        problems.addAll(more);
    }

    /** Throws the problems found, if any. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new AggregateConfigurationException(problems);
        }
    }

    /** A method as a user recognises it: {@code Account.withdraw(Withdraw)}. */
    static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
                + ")";
    }
}
