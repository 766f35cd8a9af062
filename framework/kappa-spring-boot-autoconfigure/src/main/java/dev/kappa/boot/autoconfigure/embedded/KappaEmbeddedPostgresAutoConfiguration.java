package dev.kappa.boot.autoconfigure.embedded;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import dev.kappa.postgres.embedded.EmbeddedPostgresServer;

/**
 * Starts a durable embedded PostgreSQL 18, and a data source on it, when kappa-embedded-postgres is on the class path
 * and the application names no database ({@code spring.datasource.url} unset): the application then runs with
 * nothing installed and keeps its data across restarts.
 *
 * <p>The application context closes the server after everything that uses it. If the application is killed instead,
 * the server's watchdog stops it, and a server still left running on the data directory is stopped by the next start
 * (see {@link EmbeddedPostgresServer}).
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({EmbeddedPostgresServer.class, HikariDataSource.class})
@ConditionalOnBooleanProperty(name = "kappa.embedded-postgres.enabled", matchIfMissing = true)
@Conditional(NoDataSourceUrlCondition.class)
@ConditionalOnMissingBean(DataSource.class)
@EnableConfigurationProperties(KappaEmbeddedPostgresProperties.class)
public class KappaEmbeddedPostgresAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KappaEmbeddedPostgresAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    EmbeddedPostgresServer kappaEmbeddedPostgres(KappaEmbeddedPostgresProperties properties) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.builder()
                .dataDirectory(properties.dataDirectory())
                .port(properties.port())
                .durable(properties.durable())
                // the context closes the server, after the data source and everything using it
                .stopOnJvmExit(false)
                .start();
        server.createDatabaseIfMissing(properties.database());
        log.info("Kappa started an embedded PostgreSQL 18 (database '{}' on port {}{}) keeping its data in {};"
                        + " set spring.datasource.url to use a PostgreSQL of your own instead",
                properties.database(), server.port(), properties.durable() ? "" : ", NOT durable",
                properties.dataDirectory().toAbsolutePath().normalize());
        return server;
    }

    /** A pool on the embedded server; {@code spring.datasource.hikari.*} settings apply to it. */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server, KappaEmbeddedPostgresProperties properties) {
        return DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(server.jdbcUrl(properties.database()))
                .username(EmbeddedPostgresServer.SUPERUSER)
                .build();
    }
}
