package dev.kappa.projections.internal.postgres;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import dev.kappa.projections.ProjectionException;

/**
 * Runs the Flyway migrations shipped in this jar, with a history table of their own.
 */
public final class ProjectionMigrations {

    private static final String LOCATION = "classpath:kappa/db/projections";

    private ProjectionMigrations() {
    }

    /**
     * Applies pending migrations.
     *
     * @return the number applied
     */
    public static int migrate(DataSource dataSource, String historyTable) {
        try {
            return Flyway.configure(ProjectionMigrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .table(historyTable)
                    .locations(LOCATION)
                    // the event store's and the application's tables may already be in the schema: start beside them
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (FlywayException e) {
            throw new ProjectionException(null, "could not migrate the projections' tables (history table "
                    + historyTable + "): " + e.getMessage(), e);
        }
    }
}
