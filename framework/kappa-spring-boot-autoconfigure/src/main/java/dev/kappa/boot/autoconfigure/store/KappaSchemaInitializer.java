package dev.kappa.boot.autoconfigure.store;

import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

import org.springframework.beans.factory.InitializingBean;

/**
 * Creates and upgrades Kappa's tables when the application starts, before anything uses them. Spring Boot treats it
 * as a database initializer that runs after the application's own Flyway or Liquibase migrations (which must start
 * their history in an empty schema), and makes beans marked {@code @DependsOnDatabaseInitialization} wait for it.
 */
public class KappaSchemaInitializer implements InitializingBean {

    private final DataSource dataSource;
    private final List<Consumer<DataSource>> migrations;

    /**
     * @param migrations each migrates the tables of one Kappa module (the event store, projections), in order
     */
    public KappaSchemaInitializer(DataSource dataSource, List<Consumer<DataSource>> migrations) {
        this.dataSource = dataSource;
        this.migrations = List.copyOf(migrations);
    }

    @Override
    public void afterPropertiesSet() {
        for (Consumer<DataSource> migration : migrations) {
            migration.accept(dataSource);
        }
    }
}
