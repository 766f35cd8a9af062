package dev.kappa.eventstore;

import javax.sql.DataSource;

import dev.kappa.eventstore.internal.schema.FlywayMigrations;

/**
 * Creates and upgrades Kappa's tables with the Flyway migrations shipped in this jar. They keep their own history
 * table, {@value #HISTORY_TABLE}, so they never collide with an application's own Flyway migrations.
 *
 * <p>Kappa migrates a schema that already holds an application's tables and history. The other way round, an
 * application's Flyway with default settings refuses a schema that holds tables (Kappa's) but not its history yet:
 * on a new schema, run the application's migrations first, or give its Flyway {@code baselineOnMigrate(true)} and
 * {@code baselineVersion("0")}, so that its own {@code V1} still runs.
 */
public final class KappaSchema {

    /** The Flyway history table of Kappa's migrations. */
    public static final String HISTORY_TABLE = "kappa_schema_history";

    private KappaSchema() {
    }

    /**
     * Applies every pending Kappa migration to the data source's current schema. Safe to call on every start and
     * from several processes at once (Flyway takes a lock).
     *
     * @return how many migrations were applied
     */
    public static int migrate(DataSource dataSource) {
        return migrate(dataSource, HISTORY_TABLE, FlywayMigrations.EVENT_STORE_LOCATION);
    }

    /**
     * Applies the migrations at {@code location} the way Kappa applies its own: recorded in {@code historyTable},
     * apart from every other history, and started beside tables already in the schema. Kappa's other modules
     * (projections) migrate their tables with it.
     *
     * @param location a Flyway location, such as {@code classpath:kappa/db/projections}
     * @return how many migrations were applied
     * @throws EventStoreException if a migration fails
     */
    public static int migrate(DataSource dataSource, String historyTable, String location) {
        return FlywayMigrations.migrate(dataSource, historyTable, location);
    }
}
