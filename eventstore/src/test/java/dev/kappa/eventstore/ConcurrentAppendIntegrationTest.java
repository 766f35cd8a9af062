package dev.kappa.eventstore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConcurrentAppendIntegrationTest extends LogIntegrationTest {

    private static final int THREADS = 8;

    private ExecutorService threads;

    ConcurrentAppendIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @BeforeEach
    void startThreads() {
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void eightWritersGetDenseOffsetsWithoutDuplicatesOrHoles() throws Exception {
        int eventsPerWriter = 1_000;
        List<Future<List<AppendResult>>> writers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            String stream = "writer-" + w;
            writers.add(threads.submit(() -> {
                List<AppendResult> results = new ArrayList<>();
                for (int version = 0; version < eventsPerWriter; version++) {
                    results.add(store.append(stream, ExpectedVersion.exactly(version),
                            List.of(deposit(stream, version))));
                }
                return results;
            }));
        }
        List<Long> returnedOffsets = new ArrayList<>();
        for (Future<List<AppendResult>> writer : writers) {
            writer.get(2, TimeUnit.MINUTES).forEach(r -> returnedOffsets.add(r.toOffset()));
        }

        List<Long> expected = LongStream.rangeClosed(1, THREADS * eventsPerWriter).boxed().toList();
        assertThat(returnedOffsets).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(sql.queryLongs("SELECT log_offset FROM kappa_log ORDER BY log_offset")).isEqualTo(expected);
        assertThat(store.head()).isEqualTo(THREADS * eventsPerWriter);
        for (int w = 0; w < THREADS; w++) {
            assertThat(store.readStream("writer-" + w, 1)).extracting(LogRecord::streamVersion)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, eventsPerWriter).boxed().toList());
        }
        // the writers' appends were coalesced: fewer transactions than appends
        assertThat(sql.queryLong("SELECT count(DISTINCT xmin::text) FROM kappa_log")).isLessThan(THREADS * eventsPerWriter);
    }

    @Test
    void racingWritersOfOneStreamExactlyOneWinsEachRound() throws Exception {
        int rounds = 50;
        CyclicBarrier start = new CyclicBarrier(THREADS);
        Map<Integer, List<Object>> outcomes = new ConcurrentHashMap<>();
        List<Future<?>> racers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            racers.add(threads.submit(() -> {
                for (int round = 0; round < rounds; round++) {
                    start.await(30, TimeUnit.SECONDS);
                    Object outcome;
                    try {
                        outcome = store.append("contested", ExpectedVersion.exactly(round),
                                List.of(deposit("c", round)));
                    } catch (ConcurrencyException e) {
                        outcome = e;
                    }
                    outcomes.computeIfAbsent(round, r -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(outcome);
                    // every racer finishes the round before anyone starts the next
                    start.await(30, TimeUnit.SECONDS);
                }
                return null;
            }));
        }
        for (Future<?> racer : racers) {
            racer.get(2, TimeUnit.MINUTES);
        }

        for (int round = 0; round < rounds; round++) {
            List<Object> results = outcomes.get(round);
            long expectedActual = round + 1;
            assertThat(results).as("round %d", round).hasSize(THREADS);
            assertThat(results).as("winners of round %d", round)
                    .filteredOn(AppendResult.class::isInstance).hasSize(1)
                    .first().isInstanceOfSatisfying(AppendResult.class,
                            r -> assertThat(r.streamVersion()).isEqualTo(expectedActual));
            assertThat(results).as("losers of round %d", round)
                    .filteredOn(ConcurrencyException.class::isInstance).hasSize(THREADS - 1)
                    .allSatisfy(e -> {
                        ConcurrencyException conflict = (ConcurrencyException) e;
                        assertThat(conflict.streamId()).isEqualTo("contested");
                        assertThat(conflict.expectedVersion()).isEqualTo(ExpectedVersion.exactly(expectedActual - 1));
                        assertThat(conflict.actualVersion()).isEqualTo(expectedActual);
                    });
        }
        assertThat(store.streamVersion("contested")).isEqualTo(rounds);
        assertThat(store.head()).isEqualTo(rounds);
    }

    @Test
    void appendsWaitingForTheHeadAreCommittedTogetherAndEachGetsItsOwnOutcome() throws Exception {
        store.append("taken", ExpectedVersion.noStream(), List.of(deposit("t", 1)));
        List<CompletableFuture<AppendResult>> piled = new ArrayList<>();
        CompletableFuture<AppendResult> first;
        CompletableFuture<AppendResult> conflicting;
        CompletableFuture<AppendResult> last;
        try (HeadLock headLock = new HeadLock()) {
            // given the writer stalls on a locked head while appends pile up behind it
            first = store.appendAsync(AppendRequest.to("first", ExpectedVersion.noStream(), List.of(deposit("f", 1))))
                    .thenApply(Appended::result);
            awaitWriterBlockedOnTheHead();
            for (int i = 0; i < 5; i++) {
                piled.add(store.appendAsync(AppendRequest.to("piled-" + i, ExpectedVersion.noStream(),
                        List.of(deposit("p", i), deposit("p", i)))).thenApply(Appended::result));
            }
            conflicting = store.appendAsync(AppendRequest.to("taken", ExpectedVersion.noStream(),
                    List.of(deposit("t", 2)))).thenApply(Appended::result);
            last = store.appendAsync(AppendRequest.to("last", ExpectedVersion.noStream(), List.of(deposit("l", 1))))
                    .thenApply(Appended::result);
        } // when the head is released

        // then the first append commits alone, the others in one batch, each with its own outcome
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(new AppendResult("first", 2, 2, 1));
        List<Long> piledOffsets = new ArrayList<>();
        for (CompletableFuture<AppendResult> f : piled) {
            piledOffsets.add(f.get(30, TimeUnit.SECONDS).fromOffset());
        }
        assertThat(piledOffsets).containsExactly(3L, 5L, 7L, 9L, 11L);
        assertThat(conflicting).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .havingCause().isInstanceOf(ConcurrencyException.class);
        assertThat(last.get(30, TimeUnit.SECONDS)).isEqualTo(new AppendResult("last", 13, 13, 1));
        assertThat(sql.queryLong("SELECT count(DISTINCT xmin::text) FROM kappa_log WHERE log_offset BETWEEN 3 AND 13"))
                .as("transactions that wrote the piled-up appends").isEqualTo(1);
        assertThat(sql.queryLongs("SELECT log_offset FROM kappa_log ORDER BY log_offset"))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 13).boxed().toList());
    }

    @Test
    void anAppendTheDatabaseRejectsFailsAloneAndTheRestOfItsBatchIsWritten() throws Exception {
        sql.execute("""
                CREATE FUNCTION reject_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.stream_id = 'poison' THEN RAISE EXCEPTION 'poisoned stream'; END IF;
                  RETURN NEW;
                END $$;
                CREATE TRIGGER reject_poison BEFORE INSERT ON kappa_log FOR EACH ROW EXECUTE FUNCTION reject_poison();
                """);
        try {
            List<CompletableFuture<AppendResult>> healthy = new ArrayList<>();
            CompletableFuture<AppendResult> poisoned;
            try (HeadLock headLock = new HeadLock()) {
                healthy.add(store.appendAsync(AppendRequest.to("before-the-batch", ExpectedVersion.noStream(),
                        List.of(deposit("b", 1)))).thenApply(Appended::result));
                awaitWriterBlockedOnTheHead();
                for (int i = 0; i < 3; i++) {
                    healthy.add(store.appendAsync(AppendRequest.to("healthy-" + i, ExpectedVersion.noStream(),
                            List.of(deposit("h", i)))).thenApply(Appended::result));
                }
                poisoned = store.appendAsync(AppendRequest.to("poison", ExpectedVersion.noStream(),
                        List.of(deposit("x", 1)))).thenApply(Appended::result);
                for (int i = 3; i < 6; i++) {
                    healthy.add(store.appendAsync(AppendRequest.to("healthy-" + i, ExpectedVersion.noStream(),
                            List.of(deposit("h", i)))).thenApply(Appended::result));
                }
            }

            assertThat(poisoned).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                    .havingCause().isInstanceOf(EventStoreException.class)
                    .withMessageContaining("stream 'poison'")
                    .withMessageContaining("poisoned stream")
                    .withMessageContaining("nothing was written");
            List<Long> offsets = new ArrayList<>();
            for (CompletableFuture<AppendResult> f : healthy) {
                offsets.add(f.get(30, TimeUnit.SECONDS).toOffset());
            }
            assertThat(offsets).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(store.streamVersion("poison")).isZero();
            assertThat(sql.queryLongs("SELECT log_offset FROM kappa_log ORDER BY log_offset"))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 7).boxed().toList());
        } finally {
            sql.execute("DROP TRIGGER reject_poison ON kappa_log; DROP FUNCTION reject_poison()");
        }
    }

    /** Holds the log's head row locked from another connection until closed. */
    private final class HeadLock implements AutoCloseable {
        private final Connection connection;

        HeadLock() throws SQLException {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT head FROM kappa_log_head WHERE id = 1 FOR UPDATE");
            }
        }

        @Override
        public void close() throws SQLException {
            connection.rollback();
            connection.close();
        }
    }

    private void awaitWriterBlockedOnTheHead() {
        await().atMost(Duration.ofSeconds(30)).until(() -> sql.queryLong("""
                SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'
                   AND query LIKE 'SELECT head FROM kappa_log_head%'""") == 1);
    }
}
