package dev.kappa.projections;

import javax.sql.DataSource;

import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.KappaSchema;

/**
 * Creates and upgrades the projections' tables (checkpoints, leases, generations, dead letters) with the Flyway
 * migrations shipped in this jar, recorded in their own history table {@value #HISTORY_TABLE}, apart from the
 * application's and the event store's.
 */
public final class ProjectionSchema {

    /** The Flyway history table of the projections' migrations. */
    public static final String HISTORY_TABLE = "kappa_projections_schema_history";

    private static final String LOCATION = "classpath:kappa/db/projections";

    private ProjectionSchema() {
    }

    /**
     * Applies every pending migration to the data source's current schema. Safe to call on every start and from
     * several processes at once (Flyway takes a lock).
     *
     * @return how many migrations were applied
     * @throws ProjectionException if a migration fails
     */
    public static int migrate(DataSource dataSource) {
        try {
            return KappaSchema.migrate(dataSource, HISTORY_TABLE, LOCATION);
        } catch (EventStoreException e) {
            throw new ProjectionException(null, "could not migrate the projections' tables: " + e.getMessage(), e);
        }
    }
}
