package dev.kappa.postgres.embedded.junit;

import java.lang.reflect.Parameter;
import javax.sql.DataSource;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its own fresh {@link TestDatabase} on the JVM's shared embedded PostgreSQL, and drops it
 * after the class.
 *
 * <p>Test constructors, lifecycle methods and test methods can declare a {@link DataSource} or a
 * {@link TestDatabase} parameter:
 *
 * <pre>{@code
 * @ExtendWith(TestDatabaseExtension.class)
 * class AccountRepositoryTest {
 *     @Test
 *     void savesAnAccount(DataSource dataSource) { ... }
 * }
 * }</pre>
 *
 * Nested test classes share their outer class's database.
 */
public final class TestDatabaseExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestDatabaseExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == DataSource.class || type == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        TestDatabase database = database(extensionContext);
        if (parameter.getType() == DataSource.class) {
            return database.dataSource();
        }
        if (parameter.getType() == TestDatabase.class) {
            return database;
        }
        throw new ParameterResolutionException("cannot resolve parameter " + parameter);
    }

    private static TestDatabase database(ExtensionContext context) {
        ExtensionContext classContext = outermostClassContext(context);
        // the store closes AutoCloseable values when the class context ends, which drops the database
        return classContext.getStore(NAMESPACE)
                .computeIfAbsent(TestDatabase.class, key -> TestDatabase.create(), TestDatabase.class);
    }

    private static ExtensionContext outermostClassContext(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getParent().isPresent() && classContext.getParent().get().getTestClass().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext;
    }
}
