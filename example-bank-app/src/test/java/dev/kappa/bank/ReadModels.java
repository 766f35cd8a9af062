package dev.kappa.bank;

import java.util.Map;
import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import dev.kappa.postgres.embedded.junit.TestDatabase;

/**
 * The bank's read-model tables and Spring Data JDBC repositories on a fresh embedded database, wired by Spring Boot's
 * auto-configuration as the application wires them (data source, Flyway with the bank's migrations, repositories),
 * without the rest of the application: what a {@code ProjectionFixture} of a projection that writes through a
 * repository runs on. Pass {@link #dataSource()} to the fixture's {@code on(...)}, so that the repositories' writes
 * join the projection worker's transactions.
 *
 * <p>Not thread-safe: one per test, closed after it (which drops the database).
 */
public final class ReadModels implements AutoCloseable {

    private final TestDatabase database;
    private final AnnotationConfigApplicationContext context;

    private ReadModels(TestDatabase database, AnnotationConfigApplicationContext context) {
        this.database = database;
        this.context = context;
    }

    /** A fresh database with the bank's migrations applied, and the repositories on it. */
    public static ReadModels start() {
        TestDatabase database = TestDatabase.create();
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        try {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("read-models", Map.of(
                    "spring.datasource.url", database.jdbcUrl(),
                    "spring.datasource.username", "postgres")));
            context.register(Wiring.class);
            context.refresh();
            return new ReadModels(database, context);
        } catch (RuntimeException e) {
            context.close();
            database.close();
            throw e;
        }
    }

    /** The data source the repositories write through. */
    public DataSource dataSource() {
        return context.getBean(DataSource.class);
    }

    /** A repository (or any other bean of the wiring). */
    public <T> T repository(Class<T> type) {
        return context.getBean(type);
    }

    /** Closes the context and drops the database. */
    @Override
    public void close() {
        try {
            context.close();
        } finally {
            database.close();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = BankApplication.class)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class,
            DataJdbcRepositoriesAutoConfiguration.class})
    static class Wiring {
    }
}
