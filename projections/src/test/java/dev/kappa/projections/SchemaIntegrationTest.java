package dev.kappa.projections;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.KappaSchema;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The projections' tables come from Flyway migrations with a history table of their own. */
class SchemaIntegrationTest {

    @Test
    void migratingCreatesTheTablesOnceBesideTheEventStoresWithItsOwnHistory() {
        try (TestDatabase database = TestDatabase.create()) {
            DataSource dataSource = database.dataSource();
            Sql sql = new Sql(dataSource);
            KappaSchema.migrate(dataSource);

            assertThat(ProjectionSchema.migrate(dataSource)).isEqualTo(3);
            assertThat(ProjectionSchema.migrate(dataSource)).isZero();

            assertThat(sql.queryLong("SELECT count(*) FROM pg_tables WHERE tablename IN ('kappa_projections',"
                    + " 'kappa_projection_generations', 'kappa_projection_segments', 'kappa_projection_dead_letters',"
                    + " 'kappa_projection_members')")).isEqualTo(5);
            assertThat(sql.queryLong("SELECT count(*) FROM " + ProjectionSchema.HISTORY_TABLE + " WHERE success"))
                    .as("baseline, V1, V2 and V3").isEqualTo(4);
            assertThat(sql.queryLong("SELECT count(*) FROM " + KappaSchema.HISTORY_TABLE + " WHERE script LIKE"
                    + " '%projections%'")).isZero();
        }
    }

    @Test
    void startingARuntimeOnAnUnmigratedDatabaseSaysWhatToDo() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            DataSource dataSource = database.dataSource();
            KappaSchema.migrate(dataSource);
            try (var store = dev.kappa.eventstore.EventStore.builder(dataSource).codec(TestEvents.codec()).build();
                 ProjectionRuntime runtime = ProjectionRuntime.builder(dataSource, store).build()) {
                runtime.register(new CountingProjection(dataSource));

                assertThatThrownBy(runtime::start)
                        .isInstanceOf(ProjectionException.class)
                        .hasMessageContaining("ProjectionSchema.migrate(dataSource)");
            }
        }
    }
}
