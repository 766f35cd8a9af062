package dev.kappa.postgres.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresServerTest {

    @Test
    void durableServerFlushesCommitsAndKeepsItsDataAcrossRestarts(@TempDir Path directory) throws SQLException {
        Path data = directory.resolve("pgdata");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder().dataDirectory(data).start()) {
            assertThat(server.durable()).isTrue();
            assertThat(setting(server.dataSource("postgres"), "fsync")).isEqualTo("on");
            assertThat(setting(server.dataSource("postgres"), "synchronous_commit")).isEqualTo("on");
            assertThat(setting(server.dataSource("postgres"), "server_version_num")).startsWith("18");

            assertThat(server.createDatabaseIfMissing("bank")).isTrue();
            assertThat(server.createDatabaseIfMissing("bank")).isFalse();
            execute(server.dataSource("bank"), "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
        }

        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.builder().dataDirectory(data).start()) {
            try (Connection connection = restarted.dataSource("bank").getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT value FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("still here");
            }
        }
    }

    @Test
    void nonDurableServerTurnsFlushesOffAndAppliesExtraSettings() throws SQLException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder()
                .durable(false)
                .setting("work_mem", "8MB")
                .start()) {
            DataSource postgres = server.dataSource("postgres");
            assertThat(setting(postgres, "fsync")).isEqualTo("off");
            assertThat(setting(postgres, "synchronous_commit")).isEqualTo("off");
            assertThat(setting(postgres, "work_mem")).isEqualTo("8MB");
            assertThat(server.dataDirectory()).isNull();
        }
    }

    @Test
    void rejectsDatabaseNamesThatCouldInjectSql() {
        EmbeddedPostgresServer.Builder builder = EmbeddedPostgresServer.builder();
        assertThatThrownBy(() -> builder.port(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
        try (EmbeddedPostgresServer server = builder.durable(false).start()) {
            assertThatThrownBy(() -> server.createDatabaseIfMissing("x; DROP DATABASE postgres"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not valid");
        }
    }

    private static String setting(DataSource dataSource, String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
