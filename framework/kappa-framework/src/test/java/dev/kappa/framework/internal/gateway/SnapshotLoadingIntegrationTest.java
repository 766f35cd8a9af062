package dev.kappa.framework.internal.gateway;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.framework.AggregateModel;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.bank.BankAccount;
import dev.kappa.framework.bank.BankCommands.Deposit;
import dev.kappa.framework.bank.BankCommands.OpenAccount;
import dev.kappa.framework.bank.BankCommands.Withdraw;
import dev.kappa.framework.bank.BankEvents;
import dev.kappa.postgres.embedded.junit.TestDatabaseExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Loading an aggregate from its snapshot must give the state that replaying all its events gives; a snapshot that
 * cannot be trusted is ignored with a warning, and the events are replayed.
 */
@ExtendWith(TestDatabaseExtension.class)
class SnapshotLoadingIntegrationTest {

    private static final String STREAM = "account-42";

    private final DataSource dataSource;
    private final AggregateModel<BankAccount> model = AggregateModel.of(BankAccount.class);
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private EventStore store;
    private AggregateRepository repository;

    SnapshotLoadingIntegrationTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @BeforeAll
    static void migrate(DataSource dataSource) {
        KappaSchema.migrate(dataSource);
    }

    @BeforeEach
    void writeAnAccountWithSnapshots() {
        execute("TRUNCATE kappa_log, kappa_streams, kappa_snapshots, kappa_idempotency; UPDATE kappa_log_head SET head = 0");
        store = EventStore.builder(dataSource).codec(BankEvents.codec()).build();
        // BankAccount snapshots every 10 events: 25 events leave a snapshot at version 20
        try (CommandGateway gateway = CommandGateway.builder(store).aggregates(BankAccount.class).build()) {
            gateway.sendAndWait(new OpenAccount("42", "Ada"));
            for (int i = 1; i <= 20; i++) {
                gateway.sendAndWait(new Deposit("42", i));
            }
            for (int i = 1; i <= 4; i++) {
                gateway.sendAndWait(new Withdraw("42", i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.statistics().snapshotsSaved() == 2);
        }
        repository = new AggregateRepository(store, 0, true);
        Logger logger = (Logger) LoggerFactory.getLogger(AggregateSnapshots.class);
        warnings.start();
        logger.addAppender(warnings);
    }

    @AfterEach
    void close() {
        ((Logger) LoggerFactory.getLogger(AggregateSnapshots.class)).detachAppender(warnings);
        repository.close();
        store.close();
    }

    @Test
    void loadingFromTheSnapshotGivesTheSameStateAsReplayingEveryEvent() {
        LoadedAggregate<BankAccount> fromSnapshot = repository.load(model, STREAM).orElseThrow();

        assertThat(fromSnapshot.version()).isEqualTo(25);
        assertThat(fromSnapshot.instance()).usingRecursiveComparison().isEqualTo(replayedFromEvents());
        assertThat(fromSnapshot.instance().balance()).isEqualTo(210 - 10);
        assertThat(warnings.list).isEmpty();
    }

    @Test
    void theSnapshotIsReallyUsed() {
        // remove the events the snapshot covers: only a load from the snapshot can still know the balance
        execute("DELETE FROM kappa_log WHERE stream_id = '" + STREAM + "' AND stream_version <= 20");

        LoadedAggregate<BankAccount> loaded = repository.load(model, STREAM).orElseThrow();

        assertThat(loaded.instance().balance()).isEqualTo(200);
        assertThat(loaded.instance().owner()).isEqualTo("Ada");
    }

    @Test
    void aCorruptSnapshotFallsBackToAFullReplayWithAWarning() {
        execute("UPDATE kappa_snapshots SET state = jsonb_set(state, '{fields,balance}', '\"lots\"')");

        LoadedAggregate<BankAccount> loaded = repository.load(model, STREAM).orElseThrow();

        assertThat(loaded.instance()).usingRecursiveComparison().isEqualTo(replayedFromEvents());
        assertThat(loaded.version()).isEqualTo(25);
        assertWarned("ignoring the snapshot of stream 'account-42' at version 20: it does not read back");
    }

    @Test
    void aSnapshotOfOtherFieldsFallsBackToAFullReplayWithAWarning() {
        execute("UPDATE kappa_snapshots SET state = jsonb_set(state, '{fingerprint}', '\"0\"')");

        LoadedAggregate<BankAccount> loaded = repository.load(model, STREAM).orElseThrow();

        assertThat(loaded.instance()).usingRecursiveComparison().isEqualTo(replayedFromEvents());
        assertWarned("the fields of BankAccount changed since it was taken");
    }

    @Test
    void aSnapshotOfAnotherRevisionFallsBackToAFullReplayWithAWarning() {
        execute("UPDATE kappa_snapshots SET state = jsonb_set(state, '{revision}', '0')");

        LoadedAggregate<BankAccount> loaded = repository.load(model, STREAM).orElseThrow();

        assertThat(loaded.instance()).usingRecursiveComparison().isEqualTo(replayedFromEvents());
        assertWarned("it is of snapshot revision 0, the class is at 1");
    }

    private BankAccount replayedFromEvents() {
        BankAccount account = model.newInstance();
        store.readStream(STREAM, 1).forEach(record -> model.apply(account, store.codec().decode(record)));
        return account;
    }

    private void assertWarned(String text) {
        assertThat(warnings.list).filteredOn(event -> event.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(message -> assertThat(message).contains(text).contains("replaying all its events"));
    }

    private void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
