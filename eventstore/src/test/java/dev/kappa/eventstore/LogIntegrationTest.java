package dev.kappa.eventstore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kappa.postgres.embedded.junit.TestDatabaseExtension;

/**
 * Base of the tests that run against the log: each test class gets a fresh database with Kappa's tables, each test
 * an empty log, a hand-moved {@link #clock} and a {@link #store} (built by {@link #configure}), and every store a
 * test opens is closed after it.
 */
@ExtendWith(TestDatabaseExtension.class)
abstract class LogIntegrationTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456Z");

    final DataSource dataSource;
    final SqlQueries sql;
    MutableClock clock;
    EventStore store;
    private final List<AutoCloseable> opened = new ArrayList<>();

    LogIntegrationTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.sql = new SqlQueries(dataSource);
    }

    @BeforeAll
    static void migrateKappaSchema(DataSource dataSource) {
        KappaSchema.migrate(dataSource);
    }

    @BeforeEach
    void openDefaultStore() {
        sql.resetLog();
        clock = new MutableClock(NOW);
        store = openStore(this::configure);
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        opened.clear();
    }

    /** Adjusts the settings of the default {@link #store}; the codec and the clock are already set. */
    void configure(EventStoreBuilder builder) {
    }

    /** Opens another store on the test database, closed after the test. */
    EventStore openStore(Consumer<EventStoreBuilder> settings) {
        EventStoreBuilder builder = EventStore.builder(dataSource).codec(TestEvents.codec()).clock(clock);
        settings.accept(builder);
        return closeAfterTest(builder.build());
    }

    <T extends AutoCloseable> T closeAfterTest(T closeable) {
        opened.add(closeable);
        return closeable;
    }
}
