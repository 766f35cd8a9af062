package dev.kappa.kafka.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;

import static dev.kappa.kafka.relay.RelayTestEvents.deposited;
import static dev.kappa.kafka.relay.RelayTestEvents.profileChanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Several instances of a fleet relaying one log: one relays, the others stand by; and fencing when two relay. */
class RelayFleetIntegrationTest extends RelayIntegrationTest {

    RelayFleetIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void aSecondRelayStandsByWhileTheFirstRunsAndTakesOverWhenItCloses() {
        // given a relay that relays
        RelayTopics topics = topics("fleet");
        KafkaRelay first = closeAfterTest(relay(topics, "fleet").instanceId("first").build());
        first.start();
        appendSome(0, 2_000);
        awaitRelayed(first);

        // when a second instance starts
        KafkaRelay second = closeAfterTest(relay(topics, "fleet").instanceId("second").build());
        second.start();

        // then it stands by, not knowing the position, while the first goes on relaying
        await().atMost(PATIENCE).until(() -> second.status().state() == RelayState.STANDBY);
        assertThat(second.status().relayedOffset()).isEqualTo(-1);
        appendSome(2_000, 2_000);
        awaitRelayed(first);
        assertThat(second.status().state()).isEqualTo(RelayState.STANDBY);

        // when the first closes, the second takes over and relays what comes next
        first.close();
        appendSome(4_000, 2_000);
        long head = awaitRelayed(second);
        assertThat(first.status().state()).isEqualTo(RelayState.STOPPED);

        // then the topics hold the log once
        assertThat(readBack(topics).size()).isEqualTo(head);
        readBack(topics).assertEqualsLog(store, topics);
    }

    @Test
    void aStandbyTakesOverWhenTheRelaysDatabaseConnectionsDieAsWithAKilledInstance() {
        // given a relay that elects through a pool of its own, and a standby
        RelayTopics topics = topics("takeover");
        HikariDataSource firstPool = closeAfterTest(pool());
        KafkaRelay first = closeAfterTest(KafkaRelay.builder(firstPool, store, store)
                .kafkaProperties(broker.clientProperties()).topics(topics).transactionalId("takeover")
                .instanceId("first").retryInterval(Duration.ofMillis(300)).build());
        first.start();
        appendSome(0, 2_000);
        awaitRelayed(first);
        KafkaRelay second = closeAfterTest(relay(topics, "takeover").instanceId("second").build());
        second.start();
        await().atMost(PATIENCE).until(() -> second.status().state() == RelayState.STANDBY);

        // when the first instance loses its connections for good, as a killed JVM's end
        firstPool.close();
        appendSome(2_000, 2_000);

        // then the standby takes the election lock the dead connection freed, and relays the rest once
        long head = awaitRelayed(second);
        // and the first learns at its next check of the lock that it lost it (the standby may be quicker than that
        // on a loaded machine: the fencing keeps the topics right in between)
        await().atMost(PATIENCE).until(() -> first.status().state() == RelayState.WAITING_FOR_DATABASE
                || first.status().state() == RelayState.STARTING || first.status().state() == RelayState.STANDBY);
        assertThat(readBack(topics).size()).isEqualTo(head);
        readBack(topics).assertEqualsLog(store, topics);
    }

    @Test
    void twoRelaysForcedToRunAtOnceFenceEachOtherAndTheTopicsStillEqualTheLog() throws Exception {
        // given two relays of one transactional id that both skip the election
        RelayTopics topics = topics("fenced");
        KafkaRelay first = closeAfterTest(relay(topics, "fenced").instanceId("first").withoutElection()
                .batchSize(500).build());
        KafkaRelay second = closeAfterTest(relay(topics, "fenced").instanceId("second").withoutElection()
                .batchSize(500).build());
        first.start();
        second.start();

        // when writers append while the two take the transactional id from each other
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicBoolean sawFenced = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        Future<?> watcher = threads.submit(() -> {
            while (writing.get()) {
                if (first.status().state() == RelayState.STANDBY || second.status().state() == RelayState.STANDBY) {
                    sawFenced.set(true);
                }
                Thread.sleep(5);
            }
            return null;
        });
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            writers.add(threads.submit(() -> appendSome(writer * 5_000, 5_000)));
        }
        for (Future<?> writer : writers) {
            writer.get(2, TimeUnit.MINUTES);
        }
        // keep both running until one was seen fenced, so that the test proves the fencing it names
        await().atMost(PATIENCE).untilTrue(sawFenced);
        writing.set(false);
        watcher.get(1, TimeUnit.MINUTES);
        threads.shutdown();

        // then, once one of them is left to finish, the topics hold every record once, in order
        first.close();
        long head = awaitRelayed(second);
        assertThat(head).isEqualTo(10_000);
        assertThat(readBack(topics).size()).isEqualTo(head);
        readBack(topics).assertEqualsLog(store, topics);
    }

    private HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(((HikariDataSource) dataSource).getJdbcUrl());
        config.setUsername(((HikariDataSource) dataSource).getUsername());
        config.setMaximumPoolSize(3);
        return new HikariDataSource(config);
    }

    private void appendSome(int from, int count) {
        for (int i = from; i < from + count; i += 10) {
            List<NewEvent> events = new ArrayList<>();
            for (int e = 0; e < 10; e++) {
                events.add(i % 30 == 0 ? profileChanged("customer:" + (i + e) % 50, "n" + i) : deposited(i + e));
            }
            store.append("stream-" + i % 97, ExpectedVersion.any(), events);
        }
    }
}
