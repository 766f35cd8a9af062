package dev.kappa.boot.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.boot.autoconfigure.sample.SampleAccount;
import dev.kappa.boot.autoconfigure.sample.SampleApplication;
import dev.kappa.eventstore.EventStore;
import dev.kappa.framework.CommandGateway;
import dev.kappa.postgres.embedded.EmbeddedPostgresServer;

import static org.assertj.core.api.Assertions.assertThat;

/** With no database configured, the application runs on a durable embedded PostgreSQL that keeps its data. */
class EmbeddedPostgresApplicationTest {

    @Test
    void anApplicationWithoutADatabaseKeepsItsEventsAcrossARestart(@TempDir Path directory) {
        Path data = directory.resolve("postgres");

        try (ConfigurableApplicationContext first = start(data)) {
            CommandGateway gateway = first.getBean(CommandGateway.class);
            gateway.sendAndWait(new SampleAccount.Open("7", "Ada"));
            gateway.sendAndWait(new SampleAccount.Deposit("7", 40));
            JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SHOW fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
            assertThat(first.getBean(EmbeddedPostgresServer.class).dataDirectory()).isEqualTo(data);
        }

        try (ConfigurableApplicationContext second = start(data)) {
            EventStore store = second.getBean(EventStore.class);
            assertThat(store.readStream("sample-7", 1)).extracting(record -> store.codec().decode(record))
                    .isEqualTo(List.of(new SampleAccount.Opened("7", "Ada"), new SampleAccount.Deposited("7", 40)));
            assertThat(second.getBean(CommandGateway.class).sendAndWait(new SampleAccount.Deposit("7", 2)).version())
                    .isEqualTo(3);
        }
    }

    @Test
    void aConfiguredDatabaseUrlTurnsTheEmbeddedServerOff(@TempDir Path directory) {
        try (EmbeddedPostgresServer own = EmbeddedPostgresServer.builder().durable(false).start()) {
            own.createDatabaseIfMissing("mine");
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties("spring.datasource.url=" + own.jdbcUrl("mine"),
                            "spring.datasource.username=postgres",
                            "kappa.embedded-postgres.data-directory=" + directory.resolve("unused"))
                    .run()) {
                assertThat(context.getBeansOfType(EmbeddedPostgresServer.class)).isEmpty();
                context.getBean(CommandGateway.class).sendAndWait(new SampleAccount.Open("8", "Bob"));
                assertThat(new JdbcTemplate(own.dataSource("mine"))
                        .queryForObject("SELECT count(*) FROM kappa_log", Long.class)).isEqualTo(1);
            }
            assertThat(directory.resolve("unused")).doesNotExist();
        }
    }

    private static ConfigurableApplicationContext start(Path data) {
        return new SpringApplicationBuilder(SampleApplication.class)
                .web(WebApplicationType.NONE)
                .properties("kappa.embedded-postgres.data-directory=" + data)
                .run();
    }
}
