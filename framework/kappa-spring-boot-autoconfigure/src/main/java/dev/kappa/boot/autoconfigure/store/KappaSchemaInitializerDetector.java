package dev.kappa.boot.autoconfigure.store;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Tells Spring Boot that a {@link KappaSchemaInitializer} initialises the database, so that beans depending on
 * database initialisation wait for Kappa's tables too.
 */
class KappaSchemaInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(KappaSchemaInitializer.class);
    }
}
