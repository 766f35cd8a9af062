package dev.kappa.eventstore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.postgres.embedded.junit.TestDatabaseExtension;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(TestDatabaseExtension.class)
class SchemaIntegrationTest {

    private static final List<String> KAPPA_TABLES =
            List.of("kappa_compaction", "kappa_idempotency", "kappa_log", "kappa_log_head", "kappa_snapshots",
                    "kappa_streams");
    /** How many migrations the event store ships. */
    private static final int MIGRATIONS = 6;

    private final TestDatabase classDatabase;

    SchemaIntegrationTest(TestDatabase classDatabase) {
        this.classDatabase = classDatabase;
    }

    @Test
    void migrateCreatesTheTablesAndRecordsItselfInItsOwnHistoryTable() {
        try (TestDatabase database = TestDatabase.create()) {
            // given an empty database
            DataSource dataSource = database.dataSource();

            // when
            int applied = KappaSchema.migrate(dataSource);

            // then
            assertThat(applied).isEqualTo(MIGRATIONS);
            assertThat(tables(dataSource, "public")).containsExactlyInAnyOrderElementsOf(
                    with(KAPPA_TABLES, KappaSchema.HISTORY_TABLE));
            assertThat(KappaSchema.HISTORY_TABLE).isEqualTo("kappa_schema_history");
            assertThat(strings(dataSource, "SELECT version || ':' || success FROM kappa_schema_history"
                    + " WHERE type = 'SQL' ORDER BY installed_rank")).containsExactly("1:true", "2:true", "3:true", "4:true", "5:true",
                    "6:true");
            assertThat(strings(dataSource, "SELECT coalesce(to_regclass('flyway_schema_history')::text, 'absent')"))
                    .containsExactly("absent");
            // and the tables work
            try (EventStore store = EventStore.builder(dataSource).codec(TestEvents.codec()).build()) {
                assertThat(store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1))).toOffset())
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void aSecondMigrateAppliesNothing() {
        try (TestDatabase database = TestDatabase.create()) {
            // given a migrated database with a record in it
            DataSource dataSource = database.dataSource();
            KappaSchema.migrate(dataSource);
            try (EventStore store = EventStore.builder(dataSource).codec(TestEvents.codec()).build()) {
                store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));
            }
            List<String> history = strings(dataSource,
                    "SELECT installed_rank || ':' || coalesce(version, '-') FROM kappa_schema_history ORDER BY 1");

            // when
            int applied = KappaSchema.migrate(dataSource);

            // then
            assertThat(applied).isZero();
            assertThat(strings(dataSource,
                    "SELECT installed_rank || ':' || coalesce(version, '-') FROM kappa_schema_history ORDER BY 1"))
                    .isEqualTo(history);
            assertThat(new SqlQueries(dataSource).queryLong("SELECT count(*) FROM kappa_log")).isEqualTo(1);
        }
    }

    @Test
    void migrateWorksBesideAnApplicationsOwnTablesAndFlywayHistory() {
        try (TestDatabase database = TestDatabase.create()) {
            // given an application that manages its own tables with a plain Flyway
            DataSource dataSource = database.dataSource();
            int appFirst = applicationFlyway(dataSource, "classpath:app/db/migration").migrate().migrationsExecuted;

            // when Kappa migrates the same schema, and the application later adds a migration of its own
            int kappa = KappaSchema.migrate(dataSource);
            int appSecond = applicationFlyway(dataSource, "classpath:app/db/migration", "classpath:app/db/added")
                    .migrate().migrationsExecuted;
            int kappaAgain = KappaSchema.migrate(dataSource);

            // then each applied its own migrations only, and keeps its own history
            assertThat(appFirst).isEqualTo(1);
            assertThat(kappa).isEqualTo(MIGRATIONS);
            assertThat(appSecond).isEqualTo(1);
            assertThat(kappaAgain).isZero();
            assertThat(tables(dataSource, "public")).containsExactlyInAnyOrderElementsOf(with(KAPPA_TABLES,
                    KappaSchema.HISTORY_TABLE, "flyway_schema_history", "app_orders", "app_customers"));
            assertThat(strings(dataSource, "SELECT version || ' ' || script FROM flyway_schema_history"
                    + " WHERE version IS NOT NULL ORDER BY installed_rank"))
                    .containsExactly("1 V1__app.sql", "2 V2__app_customers.sql");
            assertThat(strings(dataSource, "SELECT version || ' ' || script FROM kappa_schema_history"
                    + " WHERE type = 'SQL' ORDER BY installed_rank"))
                    .containsExactly("1 V1__log.sql", "2 V2__idempotency.sql", "3 V3__streams_fillfactor.sql",
                            "4 V4__idempotency_fingerprint.sql", "5 V5__stream_hash.sql",
                            "6 V6__compaction_last_run.sql");
            assertThat(applicationFlyway(dataSource, "classpath:app/db/migration", "classpath:app/db/added")
                    .validateWithResult().validationSuccessful).isTrue();
        }
    }

    @Test
    void anApplicationFlywayThatBaselinesAtZeroRunsAllItsMigrationsAfterKappa() {
        try (TestDatabase database = TestDatabase.create()) {
            // given a new schema that Kappa migrated first
            DataSource dataSource = database.dataSource();
            KappaSchema.migrate(dataSource);

            // when the application's Flyway, configured as KappaSchema advises, migrates it
            int applied = Flyway.configure().dataSource(dataSource)
                    .locations("classpath:app/db/migration", "classpath:app/db/added")
                    .baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate().migrationsExecuted;

            // then its own V1 is not skipped as part of a baseline
            assertThat(applied).isEqualTo(2);
            assertThat(tables(dataSource, "public")).contains("app_orders", "app_customers");
            assertThat(strings(dataSource, "SELECT version FROM flyway_schema_history WHERE type = 'SQL'"
                    + " ORDER BY installed_rank")).containsExactly("1", "2");
            assertThat(KappaSchema.migrate(dataSource)).isZero();
        }
    }

    @Test
    void migrateCreatesTheTablesInTheDataSourcesCurrentSchema() throws SQLException {
        // given two empty schemas in one database
        execute(classDatabase.dataSource(), "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b");
        DataSource tenantA = inSchema("tenant_a");
        DataSource tenantB = inSchema("tenant_b");

        // when each is migrated
        int appliedA = KappaSchema.migrate(tenantA);
        int appliedB = KappaSchema.migrate(tenantB);

        // then each schema has its own tables and history, and the default schema has none
        assertThat(appliedA).isEqualTo(MIGRATIONS);
        assertThat(appliedB).isEqualTo(MIGRATIONS);
        assertThat(tables(classDatabase.dataSource(), "tenant_a"))
                .containsExactlyInAnyOrderElementsOf(with(KAPPA_TABLES, KappaSchema.HISTORY_TABLE));
        assertThat(tables(classDatabase.dataSource(), "tenant_b"))
                .containsExactlyInAnyOrderElementsOf(with(KAPPA_TABLES, KappaSchema.HISTORY_TABLE));
        assertThat(tables(classDatabase.dataSource(), "public")).isEmpty();
        assertThat(KappaSchema.migrate(tenantA)).isZero();
    }

    @Test
    void concurrentMigratesApplyTheMigrationsOnce() throws Exception {
        int callers = 4;
        // the race to create and baseline the history table is short: several rounds, each on an empty database
        for (int round = 0; round < 5; round++) {
            try (TestDatabase database = TestDatabase.create()) {
                // given several processes starting at once on an empty database
                CyclicBarrier start = new CyclicBarrier(callers);
                ExecutorService threads = Executors.newFixedThreadPool(callers);
                List<Integer> applied = new ArrayList<>();
                try {
                    List<Future<Integer>> migrations = new ArrayList<>();
                    for (int i = 0; i < callers; i++) {
                        migrations.add(threads.submit(() -> {
                            start.await(30, TimeUnit.SECONDS);
                            return KappaSchema.migrate(database.dataSource());
                        }));
                    }

                    // when they all migrate
                    for (Future<Integer> migration : migrations) {
                        applied.add(migration.get(1, TimeUnit.MINUTES));
                    }
                } finally {
                    threads.shutdownNow();
                }

                // then each migration ran exactly once (Flyway locks per migration, so callers may share the work)
                assertThat(applied).hasSize(callers)
                        .satisfies(counts -> assertThat(counts.stream().mapToInt(Integer::intValue).sum())
                                .isEqualTo(MIGRATIONS));
                assertThat(strings(database.dataSource(), "SELECT version FROM kappa_schema_history WHERE type ="
                        + " 'SQL' ORDER BY installed_rank")).containsExactly("1", "2", "3", "4", "5", "6");
            }
        }
    }

    private static Flyway applicationFlyway(DataSource dataSource, String... locations) {
        // an application's Flyway: default settings (history table, no baseline) but its own migration folder
        return Flyway.configure().dataSource(dataSource).locations(locations).load();
    }

    private DataSource inSchema(String schema) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(classDatabase.jdbcUrl());
        dataSource.setCurrentSchema(schema);
        return dataSource;
    }

    private static List<String> with(List<String> tables, String... more) {
        List<String> all = new ArrayList<>(tables);
        all.addAll(List.of(more));
        return all;
    }

    private static List<String> tables(DataSource dataSource, String schema) {
        return strings(dataSource, "SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                + schema + "'");
    }

    private static List<String> strings(DataSource dataSource, String query) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
