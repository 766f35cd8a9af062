package dev.kappa.console;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kappa.console.sample.ConsoleTestApplication;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/** Without write access (the default), the console only shows: not even an operator may act. */
@DirtiesContext
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadOnlyConsoleTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();

    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @Test
    void anOperatorCannotActWhenWriteAccessIsOff() throws Exception {
        ConsoleClient console = new ConsoleClient(port);

        HttpResponse<String> restart = console.post("/kappa/projections/counter/restart", "{\"confirm\": true}",
                "operator");

        assertThat(restart.statusCode()).isEqualTo(403);
        assertThat(restart.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ConsoleClient.json(restart).get("detail").asString())
                .startsWith("the console is read-only: write access is off");
        assertThat(console.state("operator").get("user").asString()).isEqualTo("operator");
        assertThat(console.state("operator").get("canAct").asBoolean()).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kappa_console_actions", Long.class)).isZero();
    }
}
