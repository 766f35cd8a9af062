package dev.kappa.boot.autoconfigure.projections;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;

/**
 * The event types the application's projection beans handle, read from their bean definitions without creating
 * them: the codec must know them before anything is read.
 */
final class ProjectionEventTypes {

    private ProjectionEventTypes() {
    }

    static Set<Class<?>> of(ConfigurableListableBeanFactory beanFactory) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (String name : beanFactory.getBeanNamesForAnnotation(Projection.class)) {
            Class<?> type = beanFactory.getType(name, false);
            if (type == null) {
                continue;
            }
            for (Class<?> c = ClassUtils.getUserClass(type); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method method : c.getDeclaredMethods()) {
                    if (method.isAnnotationPresent(EventHandler.class) && method.getParameterCount() >= 1) {
                        Class<?> event = method.getParameterTypes()[0];
                        // an interface or abstract type is registered through its sealed subtypes, if it has any
                        if (!Modifier.isAbstract(event.getModifiers()) || event.isSealed()) {
                            types.add(event);
                        }
                    }
                }
            }
        }
        return types;
    }
}
