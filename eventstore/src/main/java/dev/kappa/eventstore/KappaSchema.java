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
        return FlywayMigrations.migrate(dataSource, HISTORY_TABLE);
    }
}
