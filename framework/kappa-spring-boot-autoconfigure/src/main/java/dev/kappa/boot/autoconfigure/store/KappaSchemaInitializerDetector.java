package dev.kappa.boot.autoconfigure.store;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Tells Spring Boot that a {@link KappaSchemaInitializer} initialises the database, so that beans depending on
 * database initialisation wait for Kappa's tables too.
 */
class KappaSchemaInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    /**
     * Boot runs initializers in the order of their detectors: Flyway's and Liquibase's have order 1, and the
     * application's migrations must run first, while its schema is still empty.
     */
    private static final int AFTER_THE_APPLICATIONS_MIGRATIONS = 100;

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(KappaSchemaInitializer.class);
    }

    @Override
    public int getOrder() {
        return AFTER_THE_APPLICATIONS_MIGRATIONS;
    }
}
