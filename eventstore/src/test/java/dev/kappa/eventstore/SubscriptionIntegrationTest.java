package dev.kappa.eventstore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SubscriptionIntegrationTest extends LogIntegrationTest {

    /** Long enough that only a notification can wake a follower within a test's patience. */
    private static final Duration NEVER_POLL = Duration.ofMinutes(10);

    SubscriptionIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    /** Each test opens the store it needs; the default one must not add a listener of its own. */
    @Override
    void configure(EventStoreBuilder builder) {
        builder.notifications(false);
    }

    @Test
    void tailingSubscriberReceivesEveryOffsetOnceInOrderWhileEightWritersAppend() throws Exception {
        EventStore store = store(builder -> builder.pollInterval(NEVER_POLL));
        store.append("before", ExpectedVersion.noStream(), List.of(deposit("b", 1), deposit("b", 2)));
        List<Long> received = Collections.synchronizedList(new ArrayList<>());
        Subscription subscription = closeAfterTest(store.subscribe(0, 100,
                batch -> batch.forEach(record -> received.add(record.offset()))));

        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            String stream = "writer-" + w;
            done.add(writers.submit(() -> {
                for (int i = 0; i < 250; i++) {
                    // some appends carry two events, so batches hold appends of different sizes
                    List<NewEvent> events = i % 5 == 0 ? List.of(deposit(stream, i), deposit(stream, i))
                            : List.of(deposit(stream, i));
                    store.append(stream, ExpectedVersion.any(), events);
                }
                return null;
            }));
        }
        for (Future<?> writer : done) {
            writer.get(2, TimeUnit.MINUTES);
        }
        writers.shutdown();
        long head = store.head();

        assertThat(head).isEqualTo(2 + 8 * (250 + 50));
        assertThat(subscription.awaitPosition(head, Duration.ofSeconds(30))).isTrue();
        assertThat(received).containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
    }

    @Test
    void aNotificationWakesACaughtUpSubscriberWithoutWaitingForThePoll() throws Exception {
        EventStore store = store(builder -> builder.pollInterval(NEVER_POLL));
        store.append("s", ExpectedVersion.any(), List.of(deposit("s", 1)));
        List<LogRecord> received = Collections.synchronizedList(new ArrayList<>());
        Subscription subscription = closeAfterTest(store.subscribe(0, 10, received::addAll));
        assertThat(subscription.awaitPosition(1, Duration.ofSeconds(10))).isTrue();

        // from another store, as another process would: this store's own commits wake its followers by themselves
        this.store.append("s", ExpectedVersion.any(), List.of(deposit("s", 2)));

        // the subscriber's next poll is minutes away: only the notification can deliver this in time
        assertThat(subscription.awaitPosition(2, Duration.ofSeconds(5))).isTrue();
        assertThat(received).extracting(LogRecord::offset).containsExactly(1L, 2L);
    }

    @Test
    void withoutNotificationsPollingStillDeliversEverything() throws Exception {
        EventStore store = store(builder -> builder.notifications(false).pollInterval(Duration.ofMillis(50)));
        List<Long> received = Collections.synchronizedList(new ArrayList<>());
        Subscription subscription = closeAfterTest(store.subscribe(0, 7, batch -> batch.forEach(r -> received.add(r.offset()))));

        for (int i = 0; i < 40; i++) {
            store.append("s-" + (i % 4), ExpectedVersion.any(), List.of(deposit("s", i)));
        }

        assertThat(subscription.awaitPosition(40, Duration.ofSeconds(30))).isTrue();
        assertThat(received).containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(sql.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND query = 'LISTEN kappa_log'")).isZero();
    }

    @Test
    void aStoresOwnAppendsWakeItsFollowersWithoutNotificationsOrPolling() throws Exception {
        EventStore store = store(builder -> builder.notifications(false).pollInterval(NEVER_POLL));
        List<LogRecord> received = Collections.synchronizedList(new ArrayList<>());
        Subscription subscription = closeAfterTest(store.subscribe(0, 10, received::addAll));
        assertThat(store.awaitAppend(0, Duration.ofMillis(50))).isFalse();

        store.append("s", ExpectedVersion.any(), List.of(deposit("s", 1)));

        // no listener and no poll for minutes: the store's writer woke the subscription when it committed
        assertThat(subscription.awaitPosition(1, Duration.ofSeconds(5))).isTrue();
        assertThat(received).extracting(LogRecord::offset).containsExactly(1L);
    }

    @Test
    void theListenerReconnectsByItselfAfterItsConnectionIsKilled() throws Exception {
        EventStore store = store(builder -> builder.pollInterval(NEVER_POLL));
        Subscription subscription = closeAfterTest(store.subscribe(0, 10, batch -> { }));
        await().atMost(Duration.ofSeconds(10)).until(() -> listenerPids().size() == 1);
        long killed = listenerPids().get(0);

        sql.execute("SELECT pg_terminate_backend(" + killed + ")");

        await().atMost(Duration.ofSeconds(10)).until(() -> listenerPids().size() == 1 && listenerPids().get(0) != killed);
        // from another store, so that only the reconnected listener can tell this one's subscription
        this.store.append("s", ExpectedVersion.any(), List.of(deposit("s", 1)));

        assertThat(subscription.awaitPosition(1, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aFailingHandlerStopsTheSubscriptionAtThatBatchAndKeepsTheError() throws Exception {
        EventStore store = store(builder -> builder.pollInterval(Duration.ofMillis(50)));
        for (int i = 1; i <= 6; i++) {
            store.append("s", ExpectedVersion.any(), List.of(deposit("s", i)));
        }
        AtomicInteger batches = new AtomicInteger();
        Subscription subscription = closeAfterTest(store.subscribe(0, 2, batch -> {
            if (batches.incrementAndGet() == 2) {
                throw new IllegalStateException("read model unavailable");
            }
        }));

        await().atMost(Duration.ofSeconds(10)).until(() -> subscription.failure().isPresent());

        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).get().isInstanceOf(IllegalStateException.class)
                .extracting(Throwable::getMessage).isEqualTo("read model unavailable");
        assertThat(subscription.position()).as("stopped after the first batch").isEqualTo(2);
        store.append("s", ExpectedVersion.any(), List.of(deposit("s", 7)));
        assertThat(subscription.awaitPosition(3, Duration.ofMillis(300))).isFalse();
        assertThat(batches).hasValue(2);
    }

    @Test
    void aClosedSubscriptionDeliversNothingMore() throws Exception {
        EventStore store = store(builder -> builder.pollInterval(Duration.ofMillis(50)));
        List<Long> received = Collections.synchronizedList(new ArrayList<>());
        Subscription subscription = store.subscribe(0, 10, batch -> batch.forEach(r -> received.add(r.offset())));
        store.append("s", ExpectedVersion.any(), List.of(deposit("s", 1)));
        assertThat(subscription.awaitPosition(1, Duration.ofSeconds(10))).isTrue();

        subscription.close();
        store.append("s", ExpectedVersion.any(), List.of(deposit("s", 2)));

        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.awaitPosition(2, Duration.ofMillis(300))).isFalse();
        assertThat(received).containsExactly(1L);
    }

    @Test
    void awaitAppendReturnsOnceTheHeadPassesTheOffsetOrWhenTheTimeoutEnds() throws Exception {
        EventStore store = store(builder -> builder.pollInterval(NEVER_POLL));

        assertThat(store.awaitAppend(0, Duration.ofMillis(100))).isFalse();

        ExecutorService appender = Executors.newSingleThreadExecutor();
        Future<Boolean> waiting = appender.submit(() -> store.awaitAppend(0, Duration.ofSeconds(10)));
        store.append("s", ExpectedVersion.any(), List.of(deposit("s", 1)));

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(store.awaitAppend(0, Duration.ZERO)).isTrue();
        assertThat(store.awaitAppend(1, Duration.ofMillis(50))).isFalse();
        appender.shutdown();
    }

    @Test
    void aSubscriptionStartsAfterTheGivenOffset() throws Exception {
        EventStore store = store(builder -> builder.pollInterval(Duration.ofMillis(50)));
        for (int i = 1; i <= 5; i++) {
            store.append("s", ExpectedVersion.any(), List.of(deposit("s", i)));
        }
        List<Long> received = Collections.synchronizedList(new ArrayList<>());

        Subscription subscription = closeAfterTest(store.subscribe(3, 10, batch -> batch.forEach(r -> received.add(r.offset()))));

        assertThat(subscription.awaitPosition(5, Duration.ofSeconds(10))).isTrue();
        assertThat(received).containsExactly(4L, 5L);
    }

    private List<Long> listenerPids() {
        return sql.queryLongs("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                + " AND query = 'LISTEN kappa_log'");
    }

    private EventStore store(Consumer<EventStoreBuilder> settings) {
        return openStore(settings);
    }
}
