package dev.kappa.boot.autoconfigure.store;

import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Creates and upgrades Kappa's tables when the application starts, after the application's own Flyway migrations
 * (which must start their history in an empty schema) and before anything uses the tables. Spring Boot treats it as a
 * database initializer, so beans marked {@code @DependsOnDatabaseInitialization} wait for it too.
 */
public class KappaSchemaInitializer implements InitializingBean {

    /** The bean Spring Boot's Flyway auto-configuration migrates the application's schema with. */
    static final String FLYWAY_INITIALIZER = "flywayInitializer";

    private final DataSource dataSource;
    private final BeanFactory beanFactory;
    private final List<Consumer<DataSource>> migrations;

    /**
     * @param migrations each migrates the tables of one Kappa module (the event store, projections), in order
     */
    public KappaSchemaInitializer(DataSource dataSource, BeanFactory beanFactory,
                                  List<Consumer<DataSource>> migrations) {
        this.dataSource = dataSource;
        this.beanFactory = beanFactory;
        this.migrations = List.copyOf(migrations);
    }

    @Override
    public void afterPropertiesSet() {
        if (beanFactory.containsBean(FLYWAY_INITIALIZER)) {
            // getting the bean runs the application's migrations first
            beanFactory.getBean(FLYWAY_INITIALIZER);
        }
        for (Consumer<DataSource> migration : migrations) {
            migration.accept(dataSource);
        }
    }
}
