package dev.kappa.console.internal.action;

import javax.sql.DataSource;

import dev.kappa.eventstore.KappaSchema;

/**
 * Creates and upgrades the console's table ({@code kappa_console_actions}) with the Flyway migrations in this jar,
 * recorded in their own history table, apart from the application's and Kappa's other modules'.
 */
public final class ConsoleSchema {

    /** The Flyway history table of the console's migrations. */
    public static final String HISTORY_TABLE = "kappa_console_schema_history";

    private static final String LOCATION = "classpath:kappa/db/console";

    private ConsoleSchema() {
    }

    /** Applies every pending migration; safe on every start and from several instances at once. */
    public static void migrate(DataSource dataSource) {
        KappaSchema.migrate(dataSource, HISTORY_TABLE, LOCATION);
    }
}
