package dev.kappa.postgres.embedded;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * An application for {@link KilledApplicationTest}, run in a JVM of its own: it starts a durable embedded server on
 * the data directory given as first argument ({@code temporary} for none), writes the second argument as a row of
 * table {@code kept} in database {@code bank}, prints {@code ready <port> <postmaster pid> <data directory>} and
 * waits to be killed.
 */
public final class KillableApplication {

    private KillableApplication() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer.Builder builder = EmbeddedPostgresServer.builder();
        if (!args[0].equals("temporary")) {
            builder.dataDirectory(Path.of(args[0]));
        }
        EmbeddedPostgresServer server = builder.start();
        server.createDatabaseIfMissing("bank");
        try (Connection connection = server.dataSource("bank").getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS kept (value text)");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO kept VALUES (?)")) {
                insert.setString(1, args[1]);
                insert.executeUpdate();
            }
        }
        Path directory;
        try (Connection connection = server.dataSource("postgres").getConnection();
             Statement statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT current_setting('data_directory')")) {
            rs.next();
            directory = Path.of(rs.getString(1));
        }
        long postmasterPid = Long.parseLong(
                Files.readAllLines(directory.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).trim());
        System.out.println("ready " + server.port() + " " + postmasterPid + " " + directory);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
