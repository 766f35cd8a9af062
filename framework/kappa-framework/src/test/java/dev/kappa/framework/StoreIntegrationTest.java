package dev.kappa.framework;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.framework.bank.BankAccount;
import dev.kappa.framework.bank.BankEvents;
import dev.kappa.postgres.embedded.junit.TestDatabaseExtension;

/**
 * Base of the framework's tests on PostgreSQL: a fresh database per class, an empty log, a {@link #store} and a
 * {@link #gateway} for the sample {@link BankAccount} per test; whatever a test opens is closed after it.
 */
@ExtendWith(TestDatabaseExtension.class)
abstract class StoreIntegrationTest {

    final DataSource dataSource;
    EventStore store;
    CommandGateway gateway;
    private final List<AutoCloseable> opened = new ArrayList<>();

    StoreIntegrationTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @BeforeAll
    static void migrateKappaSchema(DataSource dataSource) {
        KappaSchema.migrate(dataSource);
    }

    @BeforeEach
    void openStoreAndGateway() {
        execute("TRUNCATE kappa_log, kappa_streams, kappa_snapshots, kappa_idempotency;"
                + " UPDATE kappa_log_head SET head = 0");
        store = closeAfterTest(EventStore.builder(dataSource).codec(BankEvents.codec()).build());
        gateway = openGateway(builder -> { });
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        opened.clear();
    }

    /** Another gateway on the test's store, as a second process would have; closed after the test. */
    CommandGateway openGateway(Consumer<CommandGatewayBuilder> settings) {
        CommandGatewayBuilder builder = CommandGateway.builder(store).aggregates(BankAccount.class);
        settings.accept(builder);
        return closeAfterTest(builder.build());
    }

    <T extends AutoCloseable> T closeAfterTest(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long queryLong(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
