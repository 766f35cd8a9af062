package dev.kappa.boot.autoconfigure.embedded;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL started when kappa-embedded-postgres is on the class path and no
 * {@code spring.datasource.url} is set.
 *
 * @param enabled       Whether to start it at all.
 * @param dataDirectory Where it keeps its data, kept across restarts.
 * @param port          The port it listens on (loopback); 0 picks a free one.
 * @param database      The database the application uses.
 * @param durable       Whether commits are flushed to disk before they are acknowledged (fsync and
 *                      synchronous_commit on). Turn it off only for data you can lose.
 */
@ConfigurationProperties("kappa.embedded-postgres")
public record KappaEmbeddedPostgresProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("./data/postgres") Path dataDirectory,
        @DefaultValue("0") int port,
        @DefaultValue("app") String database,
        @DefaultValue("true") boolean durable) {
}
