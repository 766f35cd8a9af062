package dev.kappa.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import dev.kappa.boot.autoconfigure.store.ConnectionPoolDefaults;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool waits a few seconds for a connection, unless the application says otherwise. */
class ConnectionPoolDefaultsTest {

    private static final String TIMEOUT = "spring.datasource.hikari.connection-timeout";

    @Test
    void thePoolWaitsAFewSecondsForAConnectionByDefault() {
        StandardEnvironment environment = new StandardEnvironment();

        new ConnectionPoolDefaults().postProcessEnvironment(environment, null);

        assertThat(connectionTimeout(environment)).isEqualTo(3_000);
    }

    @Test
    void aConnectionTimeoutTheApplicationSetsWinsInAnySpelling() {
        for (String spelling : new String[] {TIMEOUT, "spring.datasource.hikari.connectionTimeout"}) {
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().addFirst(new MapPropertySource("application",
                    Map.of(spelling, "30000")));

            new ConnectionPoolDefaults().postProcessEnvironment(environment, null);

            assertThat(connectionTimeout(environment)).as(spelling).isEqualTo(30_000);
        }
    }

    @Test
    void theDefaultIsDocumented() throws IOException {
        String document = Files.readString(Path.of("../../docs/configuration.md"));

        assertThat(document).contains("| `" + TIMEOUT + "` | `" + ConnectionPoolDefaults.CONNECTION_TIMEOUT_MILLIS
                + "` |");
    }

    private static long connectionTimeout(StandardEnvironment environment) {
        return Binder.get(environment).bind(TIMEOUT, Long.class).orElseThrow(() ->
                new AssertionError(TIMEOUT + " is not set"));
    }
}
