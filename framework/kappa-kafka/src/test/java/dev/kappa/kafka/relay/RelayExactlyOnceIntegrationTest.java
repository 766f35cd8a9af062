package dev.kappa.kafka.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.kafka.testing.RelayedLog;

import static dev.kappa.kafka.relay.RelayTestEvents.deposited;
import static dev.kappa.kafka.relay.RelayTestEvents.profileChanged;
import static dev.kappa.kafka.relay.RelayTestEvents.profileErased;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topics equal the log, record by record, whatever happens to the relay's PostgreSQL connections.
 */
class RelayExactlyOnceIntegrationTest extends RelayIntegrationTest {

    private static final int WRITERS = 6;
    private static final int EVENTS = 100_000;
    private static final int EVENTS_PER_APPEND = 5;
    private static final String RELAY_APPLICATION = "kappa-relay-under-test";

    RelayExactlyOnceIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void topicsEqualTheLogAfter100000EventsFromConcurrentWritersWhileTheRelaysConnectionsAreKilled() throws Exception {
        // given a relay reading and electing through a pool of its own, so that kills hit only its connections
        DataSource relayPool = relayPool();
        EventStore relayStore = closeAfterTest(EventStore.builder(relayPool).codec(RelayTestEvents.codec()).build());
        RelayTopics topics = topics("exactly-once");
        KafkaRelay relay = closeAfterTest(KafkaRelay.builder(relayPool, relayStore, relayStore)
                .kafkaProperties(broker.clientProperties()).topics(topics).transactionalId("exactly-once")
                .batchSize(2_000).retryInterval(Duration.ofMillis(200)).build());
        relay.start();

        // when writers append 100,000 events (plain, keyed and tombstones) while a killer ends relay connections
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 1);
        Future<?> killer = threads.submit(() -> {
            while (writing.get()) {
                LockSupportPause.randomMillis(150, 600);
                try {
                    List<Long> pids = jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE application_name = ?",
                            Long.class, RELAY_APPLICATION);
                    if (!pids.isEmpty()) {
                        long pid = pids.get(ThreadLocalRandom.current().nextInt(pids.size()));
                        jdbc.queryForObject("SELECT pg_terminate_backend(?::int)", Boolean.class, pid);
                        kills.incrementAndGet();
                    }
                } catch (DataAccessException e) {
                    // the killer's own pool is untouched by the kills: nothing to do but go on
                }
            }
            return null;
        });
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < EVENTS / WRITERS / EVENTS_PER_APPEND; i++) {
                    int kind = random.nextInt(10);
                    if (kind < 7) {
                        List<NewEvent> events = new ArrayList<>();
                        for (int e = 0; e < EVENTS_PER_APPEND; e++) {
                            events.add(deposited(i * 10L + e));
                        }
                        store.append(AppendRequest.to("account-" + random.nextInt(300), ExpectedVersion.any(), events));
                    } else {
                        int customer = random.nextInt(100);
                        List<NewEvent> events = new ArrayList<>();
                        for (int e = 0; e < EVENTS_PER_APPEND - 1; e++) {
                            events.add(profileChanged("customer:" + customer, "w" + writer + "-" + i + "-" + e));
                        }
                        events.add(kind == 9 ? profileErased("customer:" + customer)
                                : profileChanged("customer:" + customer, "last"));
                        store.append(AppendRequest.to("customer-" + customer, ExpectedVersion.any(), events));
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get(3, TimeUnit.MINUTES);
        }
        writing.set(false);
        killer.get(1, TimeUnit.MINUTES);
        threads.shutdown();

        // then, once the relay has recovered and caught up, the topics hold every log record exactly once, in order
        long head = awaitRelayed(relay);
        assertThat(head).isEqualTo(EVENTS / WRITERS / EVENTS_PER_APPEND * WRITERS * EVENTS_PER_APPEND);
        assertThat(kills.get()).as("relay connections killed").isGreaterThanOrEqualTo(3);
        RelayedLog relayed = readBack(topics);
        assertThat(relayed.size()).isEqualTo(head);
        relayed.assertEqualsLog(store, topics);
    }

    private DataSource relayPool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(((HikariDataSource) dataSource).getJdbcUrl());
        config.setUsername(((HikariDataSource) dataSource).getUsername());
        config.setMaximumPoolSize(6);
        config.addDataSourceProperty("ApplicationName", RELAY_APPLICATION);
        return closeAfterTest(new HikariDataSource(config));
    }

    /** Random pauses, so that kills land before, during and after the relay's reads and lock checks. */
    private static final class LockSupportPause {
        static void randomMillis(int from, int to) {
            java.util.concurrent.locks.LockSupport.parkNanos(
                    TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(from, to)));
        }
    }
}
