package dev.kappa.bank;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kappa.bank.BankClient.Answer;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signed-in user without the OPERATOR role gets no further than an anonymous caller in the actuator, and is refused
 * the console's actions.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.user.name=auditor",
        "spring.security.user.password=test-auditor-password",
        "spring.security.user.roles=AUDITOR"})
class NonOperatorTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();

    @LocalServerPort
    int port;

    private BankClient auditor;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @BeforeEach
    void client() {
        auditor = new BankClient(port).signedInAs("auditor", "test-auditor-password");
    }

    @Test
    void aUserWithoutTheOperatorRoleIsForbiddenTheKappaEndpoint() {
        Answer write = auditor.postRaw("/actuator/kappa/account-summary/restart", "{}");
        Answer read = auditor.get("/actuator/kappa");

        assertThat(write.status()).isEqualTo(403);
        assertThat(read.status()).isEqualTo(403);
    }

    @Test
    void aUserWithoutTheOperatorRoleSeesHealthsStatusOnly() {
        Answer health = auditor.get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text()).contains("\"status\"").doesNotContain("components", "kappaProjections");
    }

    @Test
    void aUserWithoutTheOperatorRoleReadsTheConsoleButIsForbiddenItsActions() {
        Answer action = auditor.postRaw("/kappa/projections/account-summary/restart", "{\"confirm\":true}");
        Answer state = auditor.get("/kappa/state");

        assertThat(action.status()).as(action.text()).isEqualTo(403);
        assertThat(action.header("Content-Type")).startsWith("application/problem+json");
        assertThat(state.status()).isEqualTo(200);
        assertThat(state.body().get("canAct").asBoolean()).isFalse();
    }
}
