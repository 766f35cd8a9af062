package dev.kappa.boot.autoconfigure.bank;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.ProjectionMonitor;

import static org.assertj.core.api.Assertions.assertThat;

/** Exposed but not opted into, the endpoint reports and refuses to reset, as Boot's sensitive endpoints do. */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=kappa")
class ReadOnlyEndpointTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();

    @Autowired
    ProjectionMonitor projections;
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @Test
    void writeOperationsAreNotMappedWithoutOptingIn() throws Exception {
        ActuatorClient actuator = new ActuatorClient(port);
        HttpResponse<String> read = actuator.get("/actuator/kappa");
        HttpResponse<String> reset = actuator.post("/actuator/kappa/account-summary/reset");

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(reset.statusCode()).isBetween(400, 499);
        assertThat(projections.status("account-summary").note()).doesNotContain("reset");
    }
}
