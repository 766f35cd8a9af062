package dev.kappa.eventstore.internal.schema;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import dev.kappa.eventstore.EventStoreException;

/**
 * Runs the Flyway migrations shipped in Kappa's jars, with a history table of their own.
 */
public final class FlywayMigrations {

    /** Where the event store's own migrations are. */
    public static final String EVENT_STORE_LOCATION = "classpath:kappa/db/eventstore";

    private FlywayMigrations() {
    }

    /**
     * Applies pending migrations.
     *
     * @return the number applied
     */
    public static int migrate(DataSource dataSource, String historyTable, String location) {
        try {
            return Flyway.configure(FlywayMigrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .table(historyTable)
                    .locations(location)
                    // an application's own tables may already be in the schema: start our history at zero beside them
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (FlywayException e) {
            throw new EventStoreException("could not migrate Kappa's tables from " + location + " (history table "
                    + historyTable + "): " + e.getMessage(), e);
        }
    }
}
