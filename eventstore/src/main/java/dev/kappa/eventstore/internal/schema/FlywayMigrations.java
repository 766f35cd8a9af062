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

    /** How often a process that lost the race to baseline the history table tries again: about 5 s in all. */
    private static final int BASELINE_ATTEMPTS = 15;

    private FlywayMigrations() {
    }

    /**
     * Applies pending migrations. Processes that start together on an empty database may all try to create and
     * baseline the history table at once; Flyway then fails the late ones ("Unable to baseline schema history
     * table"), while each migration itself is applied under a lock. A late one tries again once the history exists.
     *
     * @return the number applied
     */
    public static int migrate(DataSource dataSource, String historyTable, String location) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Flyway.configure(FlywayMigrations.class.getClassLoader())
                        .dataSource(dataSource)
                        .table(historyTable)
                        .locations(location)
                        // an application's own tables may already be in the schema: start our history at zero
                        // beside them
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .load()
                        .migrate()
                        .migrationsExecuted;
            } catch (FlywayException e) {
                if (attempt < BASELINE_ATTEMPTS && lostBaselineRace(e)) {
                    pause(attempt);
                    continue;
                }
                throw new EventStoreException("could not migrate Kappa's tables from " + location
                        + " (history table " + historyTable + "): " + e.getMessage(), e);
            }
        }
    }

    /** Another process was creating or baselining the history table when this one looked at it. */
    private static boolean lostBaselineRace(FlywayException failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("Unable to baseline schema history");
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(50L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreException("interrupted while waiting to migrate Kappa's tables", e);
        }
    }
}
