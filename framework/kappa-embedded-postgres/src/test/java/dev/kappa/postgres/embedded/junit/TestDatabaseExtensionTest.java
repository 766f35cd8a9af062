package dev.kappa.postgres.embedded.junit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(TestDatabaseExtension.class)
class TestDatabaseExtensionTest {

    static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @Test
    void injectsADataSourceAndTheDatabaseItPointsAt(DataSource dataSource, TestDatabase database) throws SQLException {
        assertThat(currentDatabase(dataSource)).isEqualTo(database.name());
        SEEN.add(database.name());
    }

    @Test
    void everyTestOfTheClassSeesTheSameDatabase(TestDatabase database) {
        SEEN.add(database.name());
    }

    @Nested
    class NestedTests {
        @Test
        void shareTheOuterClassDatabase(TestDatabase database) {
            SEEN.add(database.name());
        }
    }

    @AfterAll
    static void oneDatabaseServedTheWholeClass() {
        assertThat(SEEN).hasSize(1);
    }

    @Test
    void createProducesAFreshEmptyDatabaseAndCloseDropsIt() throws SQLException {
        String name;
        try (TestDatabase first = TestDatabase.create(); TestDatabase second = TestDatabase.create()) {
            name = first.name();
            assertThat(first.name()).isNotEqualTo(second.name());
            execute(first.dataSource(), "CREATE TABLE only_in_first (id int)");
            assertThat(tableExists(second.dataSource(), "only_in_first")).isFalse();
            assertThat(tableExists(first.dataSource(), "only_in_first")).isTrue();
        }
        try (TestDatabase other = TestDatabase.create()) {
            assertThat(databaseExists(other.dataSource(), name)).isFalse();
        }
    }

    private static String currentDatabase(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean tableExists(DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static boolean databaseExists(DataSource dataSource, String name) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
