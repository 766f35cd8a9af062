package dev.kappa.boot.autoconfigure.store;

import javax.sql.DataSource;

/**
 * Migrates the tables of one Kappa module; the {@link KappaSchemaInitializer} runs every one defined as a bean,
 * after the event store's own.
 */
@FunctionalInterface
public interface KappaSchemaMigration {

    /** Applies the module's pending migrations. */
    void migrate(DataSource dataSource);
}
