package dev.kappa.boot.autoconfigure.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import dev.kappa.eventstore.EventType;
import dev.kappa.framework.Aggregate;

/**
 * Finds the application's {@code @Aggregate} and {@code @EventType} classes: in the packages of
 * {@code kappa.aggregates.packages}, or else in the application's own packages (those of its
 * {@code @SpringBootApplication}). Results are kept per package list, so conditions and beans that ask again do not
 * scan again.
 *
 * <p>Thread-safe.
 */
public final class KappaClassScanner {

    private static final Map<List<String>, KappaClasses> SCANNED = new ConcurrentHashMap<>();

    private KappaClassScanner() {
    }

    /** The classes found in the packages the application's settings name. */
    public static KappaClasses scan(BeanFactory beanFactory, Environment environment) {
        return SCANNED.computeIfAbsent(packages(beanFactory, environment), KappaClassScanner::scan);
    }

    private static List<String> packages(BeanFactory beanFactory, Environment environment) {
        String[] configured = environment.getProperty("kappa.aggregates.packages", String[].class);
        if (configured != null && configured.length > 0) {
            return List.of(configured);
        }
        return AutoConfigurationPackages.has(beanFactory) ? List.copyOf(AutoConfigurationPackages.get(beanFactory))
                : List.of();
    }

    private static KappaClasses scan(List<String> packages) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(
                    org.springframework.beans.factory.annotation.AnnotatedBeanDefinition definition) {
                // aggregates and events may be nested, package-private or records: take every annotated class
                return definition.getMetadata().isIndependent() || definition.getMetadata().hasEnclosingClass();
            }
        };
        scanner.addIncludeFilter(new AnnotationTypeFilter(Aggregate.class));
        scanner.addIncludeFilter(new AnnotationTypeFilter(EventType.class));
        Set<Class<?>> aggregates = new LinkedHashSet<>();
        Set<Class<?>> events = new LinkedHashSet<>();
        ClassLoader loader = KappaClassScanner.class.getClassLoader();
        for (String basePackage : packages) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), loader);
                if (type.isAnnotationPresent(Aggregate.class)) {
                    aggregates.add(type);
                }
                if (type.isAnnotationPresent(EventType.class)) {
                    events.add(type);
                }
            }
        }
        return new KappaClasses(new ArrayList<>(aggregates), new ArrayList<>(events));
    }

    /**
     * What a scan found.
     *
     * @param aggregates the {@code @Aggregate} classes
     * @param eventTypes the {@code @EventType} classes
     */
    public record KappaClasses(List<Class<?>> aggregates, List<Class<?>> eventTypes) {

        public KappaClasses {
            aggregates = List.copyOf(aggregates);
            eventTypes = List.copyOf(eventTypes);
        }
    }
}
