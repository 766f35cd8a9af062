package dev.kappa.projections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.EventStoreBuilder;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.postgres.embedded.junit.TestDatabaseExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the tests that run projections on PostgreSQL: each test class gets a fresh database with Kappa's tables,
 * each test an empty log and no read-model tables, a {@link #store} (built by {@link #configureStore}), and every
 * runtime or store a test opens is closed after it.
 */
@ExtendWith(TestDatabaseExtension.class)
abstract class ProjectionIntegrationTest {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    final DataSource dataSource;
    final Sql sql;
    final JdbcTemplate jdbc;
    EventStore store;
    private final List<AutoCloseable> opened = new ArrayList<>();

    ProjectionIntegrationTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @BeforeAll
    static void migrate(DataSource dataSource) {
        KappaSchema.migrate(dataSource);
        ProjectionSchema.migrate(dataSource);
    }

    @BeforeEach
    void openStore() {
        sql.reset();
        EventStoreBuilder builder = EventStore.builder(storeDataSource()).codec(TestEvents.codec());
        configureStore(builder);
        store = closeAfterTest(builder.build());
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        opened.clear();
    }

    /** The data source of the default store: the test database's pool, unless a test needs the store apart. */
    DataSource storeDataSource() {
        return dataSource;
    }

    /** A second pool on the test database, closed after the test. */
    DataSource secondPool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(((HikariDataSource) dataSource).getJdbcUrl());
        config.setUsername(((HikariDataSource) dataSource).getUsername());
        config.setMaximumPoolSize(10);
        return closeAfterTest(new HikariDataSource(config));
    }

    /** Adjusts the default store's settings; the codec is set. */
    void configureStore(EventStoreBuilder builder) {
    }

    /** A runtime on the test database with fast retries and short leases, adjusted by {@code settings}, not started. */
    ProjectionRuntime runtime(Consumer<ProjectionRuntimeBuilder> settings, Object... projections) {
        ProjectionRuntimeBuilder builder = ProjectionRuntime.builder(dataSource, store)
                .retryPolicy(RetryPolicy.backOff(3, Duration.ofMillis(1), Duration.ofMillis(5)))
                .leaseDuration(Duration.ofSeconds(3));
        settings.accept(builder);
        ProjectionRuntime runtime = closeAfterTest(builder.build());
        for (Object projection : projections) {
            runtime.register(projection);
        }
        return runtime;
    }

    /** A started runtime with the default test settings. */
    ProjectionRuntime started(Object... projections) {
        ProjectionRuntime runtime = runtime(builder -> {
        }, projections);
        runtime.start();
        return runtime;
    }

    <T extends AutoCloseable> T closeAfterTest(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    AppendResult append(String stream, NewEvent... events) {
        return store.append(stream, ExpectedVersion.any(), List.of(events));
    }

    /** Appends {@code count} deposits, round-robin over the streams {@code stream-0} to {@code stream-<streams - 1>}. */
    void appendDeposits(int count, int streams) {
        for (int i = 0; i < count; i++) {
            append("stream-" + i % streams, TestEvents.deposited(i));
        }
    }

    /** Waits until the projection has applied the log up to its head, and returns the head. */
    long awaitHead(ProjectionRuntime runtime, String projection) throws InterruptedException {
        long head = store.head();
        CheckpointWait wait = runtime.awaitCheckpoint(projection, head, PATIENCE);
        assertThat(wait.reached()).as("projection %s reached offset %d but stopped at %d", projection, head,
                wait.checkpoint()).isTrue();
        return head;
    }
}
