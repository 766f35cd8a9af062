package dev.kappa.eventstore;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.kappa.postgres.embedded.EmbeddedPostgresServer;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import dev.kappa.eventstore.TestEvents.Note;
import dev.kappa.eventstore.TestEvents.ProfileChanged;
import dev.kappa.eventstore.TestEvents.ProfileErased;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

class CompactionIntegrationTest extends LogIntegrationTest {

    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration KEY_RETENTION = Duration.ofDays(2);
    /** The compactor's advisory lock key, "KAPC" in ASCII. */
    private static final String COMPACTION_LOCK_KEY = "0x4B415043";

    private LogCompactor compactor;

    CompactionIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    void configure(EventStoreBuilder builder) {
        builder.tombstoneRetention(RETENTION)
                .idempotencyRetention(KEY_RETENTION)
                // small pages, so that a replay spans several reads and compaction can run between them
                .readPageSize(50);
    }

    @BeforeEach
    void useTheStoresCompactor() {
        compactor = store.compactor();
    }

    @Test
    void keyedRecordsSupersededByALaterRecordOfTheirKeyAreRemoved() {
        // given two keys, each written several times
        append("customer-1", profile("c1", "Ada"));         // 1
        append("customer-2", profile("c2", "Bob"));         // 2
        append("customer-1", profile("c1", "Ada L."));      // 3
        append("customer-2", profile("c2", "Bob B."));      // 4
        append("customer-1", profile("c1", "Ada Lovelace")); // 5

        // when
        CompactionResult result = compactor.compact();

        // then only the latest record of each key is left
        assertThat(result).isEqualTo(new CompactionResult(3, 0, 5, false));
        assertThat(logOffsets()).containsExactly(4L, 5L);
        assertThat(replayedEvents()).containsExactly(
                new ProfileChanged("c2", "Bob B."), new ProfileChanged("c1", "Ada Lovelace"));
    }

    @Test
    void unkeyedRecordsAreNeverRemoved() {
        // given unkeyed records with identical content, between keyed ones and a tombstone
        append("account-a", deposit("a", 10), deposit("a", 10));       // 1, 2
        append("customer-1", profile("c1", "Ada"));                    // 3
        append("account-a", deposit("a", 10));                         // 4
        append("customer-1", profile("c1", "Ada L."), erased("c1"));   // 5, 6
        append("notes", NewEvent.of(new Note("c1")));                  // 7

        // when compacting, then again after the tombstone expired
        CompactionResult first = compactor.compact();
        clock.advance(RETENTION.plusMinutes(1));
        CompactionResult second = compactor.compact();

        // then every unkeyed record is still there, and only keyed ones went
        assertThat(first).isEqualTo(new CompactionResult(2, 0, 7, false));
        assertThat(second).isEqualTo(new CompactionResult(0, 1, 7, false));
        assertThat(logOffsets()).containsExactly(1L, 2L, 4L, 7L);
        assertThat(store.streamLog(0)).allSatisfy(record -> assertThat(record.compactionKey()).isNull());
    }

    @Test
    void survivingRecordsKeepTheirOffsetsAndEverythingElse() {
        // given
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."));      // 1, 2
        append("account-a", deposit("a", 5));                                     // 3
        append("customer-2", profile("c2", "Bob").withCorrelationId("corr-9"));   // 4
        append("customer-1", profile("c1", "Ada Lovelace").withMetadata("user", "ada")); // 5
        List<LogRecord> before = store.streamLog(0).toList();

        // when
        compactor.compact();

        // then the survivors are exactly the records they were, at the same offsets
        List<LogRecord> expected = before.stream().filter(r -> Set.of(3L, 4L, 5L).contains(r.offset())).toList();
        assertThat(store.streamLog(0).toList()).isEqualTo(expected);
        assertThat(store.readStream("customer-1", 1)).extracting(LogRecord::offset, LogRecord::streamVersion)
                .containsExactly(tuple(5L, 3L));
    }

    @Test
    void replayFromZeroYieldsTheLatestValueOfEachKeyAndEveryUnkeyedRecord() {
        // given a log where keys and unkeyed records are interleaved across streams
        Map<String, Long> latestOffsetOfKey = new HashMap<>();
        Map<Long, Object> written = new HashMap<>();
        for (int i = 0; i < 120; i++) {
            NewEvent event = i % 4 == 0 ? deposit("a", i) : profile("c" + (i % 7), "name-" + i);
            AppendResult result = append("stream-" + (i % 5), event);
            written.put(result.toOffset(), event.payload());
            if (event.compactionKey() != null) {
                latestOffsetOfKey.put(event.compactionKey(), result.toOffset());
            }
        }
        List<Long> expectedOffsets = written.keySet().stream().sorted()
                .filter(offset -> !(written.get(offset) instanceof ProfileChanged)
                        || latestOffsetOfKey.containsValue(offset))
                .toList();

        // when
        compactor.compact();
        List<LogRecord> replay = store.streamLog(0).toList();

        // then
        assertThat(replay).extracting(LogRecord::offset).containsExactlyElementsOf(expectedOffsets);
        assertThat(replay).extracting(record -> store.codec().decode(record))
                .containsExactlyElementsOf(expectedOffsets.stream().map(written::get).toList());
        assertThat(replay).filteredOn(record -> record.compactionKey() != null)
                .extracting(LogRecord::compactionKey).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(latestOffsetOfKey.keySet());
    }

    @Test
    void aTombstoneIsKeptWhileYoungerThanTheRetention() {
        // given a key deleted by a tombstone
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."), erased("c1")); // 1, 2, 3
        append("customer-2", profile("c2", "Bob"));                                        // 4

        // when compacting now and just before the retention has passed
        CompactionResult now = compactor.compact();
        clock.advance(RETENTION.minusSeconds(1));
        CompactionResult almostExpired = compactor.compact();

        // then the tombstone is still there for followers to see, though the records it deletes are gone
        assertThat(now).isEqualTo(new CompactionResult(2, 0, 4, false));
        assertThat(almostExpired).isEqualTo(new CompactionResult(0, 0, 4, false));
        assertThat(store.streamLog(0).toList()).extracting(LogRecord::offset, LogRecord::compactionKey,
                        LogRecord::tombstone)
                .containsExactly(tuple(3L, "customer:c1", true), tuple(4L, "customer:c2", false));
    }

    @Test
    void aTombstoneOlderThanTheRetentionIsRemovedWithEveryEarlierRecordOfItsKey() {
        // given a key deleted by a tombstone, already compacted once
        append("customer-1", profile("c1", "Ada"));                 // 1
        append("customer-2", profile("c2", "Bob"));                 // 2
        append("customer-1", profile("c1", "Ada L."));              // 3
        append("gdpr", erased("c1"));                               // 4
        append("account-a", deposit("a", 1));                       // 5
        assertThat(compactor.compact()).isEqualTo(new CompactionResult(2, 0, 5, false));

        // when the retention has passed
        clock.advance(RETENTION.plusSeconds(1));
        CompactionResult result = compactor.compact();

        // then the key is gone altogether
        assertThat(result).isEqualTo(new CompactionResult(0, 1, 5, false));
        assertThat(logOffsets()).containsExactly(2L, 5L);
        assertThat(store.streamLog(0)).noneMatch(record -> "customer:c1".equals(record.compactionKey()));
    }

    @Test
    void aTombstoneThatExpiresBeforeTheFirstCompactionTakesItsWholeKeyInOneRun() {
        // given a key written and deleted, never compacted, and the tombstone older than the retention
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."));  // 1, 2
        append("account-a", deposit("a", 1));                                  // 3
        append("customer-1", erased("c1"));                                    // 4
        clock.advance(RETENTION.plusSeconds(1));

        // when
        CompactionResult result = compactor.compact();

        // then the superseded records and the tombstone are all gone
        assertThat(result).isEqualTo(new CompactionResult(2, 1, 4, false));
        assertThat(logOffsets()).containsExactly(3L);
    }

    @Test
    void aRetentionLongerThanAnyRecordsAgeKeepsTombstonesAndStillCompacts() {
        // given stores that keep tombstones practically or literally forever
        for (Duration forever : List.of(Duration.ofDays(365L * 10_000), ChronoUnit.FOREVER.getDuration())) {
            sql.resetLog();
            try (EventStore keeping = EventStore.builder(dataSource).codec(TestEvents.codec()).clock(clock)
                    .tombstoneRetention(forever).build()) {
                keeping.append("customer-1", ExpectedVersion.any(), List.of(profile("c1", "Ada"), erased("c1")));
                clock.advance(Duration.ofDays(365L * 100));

                // when
                CompactionResult result = keeping.compactor().compact();

                // then superseded records go, the tombstone stays
                assertThat(result).as("retention %s", forever).isEqualTo(new CompactionResult(1, 0, 2, false));
                assertThat(logOffsets()).as("retention %s", forever).containsExactly(2L);
            }
        }
    }

    @Test
    void idempotencyKeysOlderThanTheRetentionAreForgottenSoTheirKeyAppliesAgain() {
        // given a key used two days and a second ago, on two streams, and one used a day and a second ago
        List<StreamAppend> payment = List.of(StreamAppend.of("account-a", ExpectedVersion.any(), deposit("a", 5)),
                StreamAppend.of("account-b", ExpectedVersion.any(), deposit("b", 5)));
        store.append(AppendRequest.of(payment)
                .withIdempotencyKey("old-key", "request-1"));                                      // 1, 2
        clock.advance(Duration.ofDays(1));
        Appended young = store.append(AppendRequest.of(payment)
                .withIdempotencyKey("young-key", "request-2"));           // 3, 4
        clock.advance(Duration.ofDays(1).plusSeconds(1));

        // when
        CompactionResult result = compactor.compact();

        // then the old key is gone, whole, and counted; the log itself is untouched
        assertThat(result).isEqualTo(new CompactionResult(0, 0, 1, 4, false));
        assertThat(store.findAppend("old-key")).isEmpty();
        assertThat(sql.queryLong("SELECT count(*) FROM kappa_idempotency WHERE idempotency_key = 'old-key'")).isZero();
        assertThat(logOffsets()).containsExactly(1L, 2L, 3L, 4L);
        // and the key younger than the retention still answers its retry at most once
        assertThat(store.findAppend("young-key")).contains(young.results());
        assertThat(store.append(AppendRequest.of(payment).withIdempotencyKey("young-key", "request-2"))).isEqualTo(
                new Appended(young.results(), true));
        // while the forgotten key is applied again, with any request
        assertThat(store.append(AppendRequest.of(payment).withIdempotencyKey("old-key", "request-3"))
                .alreadyAppended()).isFalse();
        assertThat(store.head()).isEqualTo(6);
    }

    @Test
    void anIdempotencyKeyIsKeptUntilTheRetentionHasPassed() {
        Appended first = store.append(AppendRequest.to("s", ExpectedVersion.any(), List.of(deposit("s", 1)))
                .withIdempotencyKey("key"));
        clock.advance(KEY_RETENTION);

        assertThat(compactor.compact().idempotencyKeysExpired()).isZero();
        assertThat(store.findAppend("key")).contains(first.results());

        clock.advance(Duration.ofMillis(1));
        assertThat(compactor.compact().idempotencyKeysExpired()).isEqualTo(1);
        assertThat(store.findAppend("key")).isEmpty();
    }

    @Test
    void moreExpiredIdempotencyKeysThanOneChunkAreAllRemovedInOneRun() {
        // given 10,001 expired keys, two rows each, and one key inside the retention
        sql.execute("""
                INSERT INTO kappa_idempotency (idempotency_key, position, stream_id, from_offset, to_offset,
                                               stream_version, recorded_at)
                SELECT 'bulk-' || i, p, 's-' || p, i, i, 1, timestamptz '2026-01-01 00:00:00Z'
                  FROM generate_series(1, 10001) AS i, generate_series(0, 1) AS p""");
        store.append(AppendRequest.to("s", ExpectedVersion.any(), List.of(deposit("s", 1)))
                .withIdempotencyKey("recent"));

        // when
        CompactionResult result = compactor.compact();

        // then
        assertThat(result.idempotencyKeysExpired()).isEqualTo(10_001);
        assertThat(sql.queryLong("SELECT count(*) FROM kappa_idempotency")).isEqualTo(1);
        assertThat(store.findAppend("recent")).isPresent();
    }

    @Test
    void aRetentionLongerThanAnyKeysAgeKeepsIdempotencyKeys() {
        try (EventStore keeping = EventStore.builder(dataSource).codec(TestEvents.codec()).clock(clock)
                .idempotencyRetention(ChronoUnit.FOREVER.getDuration()).build()) {
            keeping.append(AppendRequest.to("s", ExpectedVersion.any(), List.of(deposit("s", 1)))
                    .withIdempotencyKey("key"));
            clock.advance(Duration.ofDays(365L * 100));

            assertThat(keeping.compactor().compact().idempotencyKeysExpired()).isZero();
            assertThat(keeping.findAppend("key")).isPresent();
        }
    }

    @Test
    void aRecordAfterATombstoneSurvivesTheTombstone() {
        // given a key deleted and then written again, in one compaction run
        append("customer-1", profile("c1", "Ada"), erased("c1"));       // 1, 2
        append("customer-1", profile("c1", "Ada again"));               // 3
        clock.advance(RETENTION.plusSeconds(1));

        // when
        CompactionResult result = compactor.compact();

        // then the newer record is the key's value; the tombstone was superseded, not expired
        assertThat(result).isEqualTo(new CompactionResult(2, 0, 3, false));
        assertThat(replayedEvents()).containsExactly(new ProfileChanged("c1", "Ada again"));
    }

    @Test
    void aRecordAppendedAfterACompactedTombstoneSurvivesWhenTheTombstoneExpires() {
        // given a tombstone compacted past, then a new record of its key
        append("customer-1", profile("c1", "Ada"), erased("c1"));       // 1, 2
        assertThat(compactor.compact()).isEqualTo(new CompactionResult(1, 0, 2, false));
        append("customer-1", profile("c1", "Ada again"));               // 3

        // when the tombstone expires
        clock.advance(RETENTION.plusSeconds(1));
        CompactionResult result = compactor.compact();

        // then
        assertThat(result).isEqualTo(new CompactionResult(1, 0, 3, false));
        assertThat(logOffsets()).containsExactly(3L);
        assertThat(replayedEvents()).containsExactly(new ProfileChanged("c1", "Ada again"));
    }

    @Test
    void compactionIsIncrementalAndRemembersHowFarItGot() {
        // given a compacted log
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."));   // 1, 2
        append("customer-2", profile("c2", "Bob"));                            // 3
        CompactionResult first = compactor.compact();

        // when compacting again with nothing new
        CompactionResult again = compactor.compact();

        // then nothing is removed and the log is compacted through its head
        assertThat(first).isEqualTo(new CompactionResult(1, 0, 3, false));
        assertThat(again).isEqualTo(new CompactionResult(0, 0, 3, false));
        assertThat(sql.queryLong("SELECT compacted_through FROM kappa_compaction")).isEqualTo(3);

        // and when keys already compacted past are written again, the next run removes their older records
        append("customer-2", profile("c2", "Bob B."));     // 4
        append("account-a", deposit("a", 1));              // 5
        CompactionResult third = compactor.compact();

        assertThat(third).isEqualTo(new CompactionResult(1, 0, store.head(), false));
        assertThat(third.compactedThrough()).isEqualTo(5);
        assertThat(logOffsets()).containsExactly(2L, 4L, 5L);
    }

    @Test
    void recordsAppendedWhileARunIsUnderWayAreLeftForTheNextRun() throws Exception {
        // given superseded records, one of them row-locked by another session so that a run stalls deleting it
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."));   // 1, 2
        CompletableFuture<CompactionResult> run;
        try (Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement statement = locker.createStatement()) {
                statement.execute("SELECT log_offset FROM kappa_log WHERE log_offset = 1 FOR UPDATE");
            }
            run = CompletableFuture.supplyAsync(compactor::compact);
            await().atMost(Duration.ofSeconds(30)).until(() -> sql.queryLong("""
                    SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database() AND wait_event_type = 'Lock'
                       AND query LIKE 'DELETE FROM kappa_log%'""") == 1);

            // when a writer appends a newer record of the key while the run is under way
            append("customer-1", profile("c1", "Ada Lovelace"));               // 3
            locker.rollback();
        }

        // then the run compacted through the head it started from, and no further
        assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(new CompactionResult(1, 0, 2, false));
        assertThat(logOffsets()).containsExactly(2L, 3L);
        // and the next run takes what came since
        assertThat(compactor.compact()).isEqualTo(new CompactionResult(1, 0, 3, false));
        assertThat(replayedEvents()).containsExactly(new ProfileChanged("c1", "Ada Lovelace"));
    }

    @Test
    void aLogLongerThanOneCompactionChunkIsCompactedAcrossChunks() {
        // given 250,000 records (more than two of the compactor's 100,000-offset chunks) over 1,000 keys, so that
        // every key has records in every chunk; written with SQL, as appending them one by one would be slow
        int records = 250_000;
        int keys = 1_000;
        sql.execute("""
                INSERT INTO kappa_log (log_offset, stream_id, stream_version, event_type, payload, event_id,
                                       recorded_at, compaction_key)
                SELECT n, 'bulk', n, 'ProfileChanged',
                       jsonb_build_object('customer', 'c' || (n %% %2$d), 'name', 'name-' || n),
                       gen_random_uuid(), now(), 'customer:c' || (n %% %2$d)
                  FROM generate_series(1, %1$d) AS n;
                INSERT INTO kappa_streams (stream_id, version) VALUES ('bulk', %1$d);
                UPDATE kappa_log_head SET head = %1$d;
                """.formatted(records, keys));

        // when
        CompactionResult result = compactor.compact();

        // then only the last record of each key is left
        assertThat(result).isEqualTo(new CompactionResult(records - keys, 0, records, false));
        assertThat(sql.queryLong("SELECT count(*) FROM kappa_log")).isEqualTo(keys);
        assertThat(sql.queryLong("SELECT min(log_offset) FROM kappa_log")).isEqualTo(records - keys + 1);
        assertThat(sql.queryLong("SELECT count(DISTINCT compaction_key) FROM kappa_log")).isEqualTo(keys);
        assertThat(sql.queryLong("SELECT compacted_through FROM kappa_compaction")).isEqualTo(records);
    }

    @Test
    void compactingAnEmptyLogRemovesNothing() {
        CompactionResult result = compactor.compact();

        assertThat(result).isEqualTo(new CompactionResult(0, 0, 0, false));
        assertThat(result.totalRemoved()).isZero();
    }

    @Test
    void aLogWithoutKeyedRecordsIsCompactedToItsHeadWithoutLookingAtIt() {
        for (int i = 0; i < 5; i++) {
            append("account-" + i, deposit("a", i));
        }

        CompactionResult result = compactor.compact();

        assertThat(result).isEqualTo(new CompactionResult(0, 0, 5, false));
        assertThat(sql.queryLong("SELECT compacted_through FROM kappa_compaction")).isEqualTo(5);
        // a keyed record appended later is compacted as usual, from there on
        append("customer-1", profile("c1", "Ada"));
        append("customer-1", profile("c1", "Ada L."));
        assertThat(compactor.compact()).isEqualTo(new CompactionResult(1, 0, 7, false));
    }

    @Test
    void theResultCountsExactlyWhatWasRemoved() {
        // given three keys written 4, 3 and 1 times, two of them deleted, and unkeyed records between
        for (int i = 1; i <= 4; i++) {
            append("customer-1", profile("c1", "v" + i));
            append("account-a", deposit("a", i));
        }
        for (int i = 1; i <= 3; i++) {
            append("customer-2", profile("c2", "v" + i));
        }
        append("customer-3", profile("c3", "v1"));
        append("customer-1", erased("c1"));
        append("customer-3", erased("c3"));
        long recordsBefore = sql.queryLong("SELECT count(*) FROM kappa_log");

        // when compacting, then compacting after the tombstones expired
        CompactionResult superseded = compactor.compact();
        clock.advance(RETENTION.plusSeconds(1));
        CompactionResult expired = compactor.compact();

        // then c1 lost 4 records to its tombstone, c2 lost 2, c3 lost 1; then both tombstones went
        assertThat(superseded.supersededRemoved()).isEqualTo(7);
        assertThat(superseded.tombstonesRemoved()).isZero();
        assertThat(superseded.totalRemoved()).isEqualTo(7);
        assertThat(expired.supersededRemoved()).isZero();
        assertThat(expired.tombstonesRemoved()).isEqualTo(2);
        assertThat(sql.queryLong("SELECT count(*) FROM kappa_log"))
                .isEqualTo(recordsBefore - superseded.totalRemoved() - expired.totalRemoved())
                .isEqualTo(4 + 1);
    }

    @Test
    void keysAreGlobalAcrossStreams() {
        // given one key written from three streams
        append("crm-1", profile("c1", "from crm"));          // 1
        append("web-7", profile("c1", "from web"));          // 2
        append("crm-1", profile("c2", "other key"));         // 3
        append("import", profile("c1", "from import"));      // 4

        // when
        CompactionResult result = compactor.compact();

        // then the key's latest record wins, whichever stream holds it
        assertThat(result.supersededRemoved()).isEqualTo(2);
        assertThat(store.streamLog(0).toList()).extracting(LogRecord::offset, LogRecord::streamId)
                .containsExactly(tuple(3L, "crm-1"), tuple(4L, "import"));
        assertThat(store.readStream("web-7", 1)).isEmpty();
    }

    @Test
    void compactionWhileWritersAppendAndAReaderReplaysLosesNoLatestValue() throws Exception {
        int writers = 4;
        int keys = 16;
        int minAppendsPerWriter = 200;
        int maxAppendsPerWriter = 5_000;
        // given every key written once, so that every replay must find every key
        Queue<Written> written = new ConcurrentLinkedQueue<>();
        for (int k = 0; k < keys; k++) {
            NewEvent event = profile("c" + k, "seed");
            written.add(new Written(append("seed", event).toOffset(), event));
        }
        Set<String> allKeys = written.stream().map(w -> w.event().compactionKey()).collect(Collectors.toSet());
        AtomicBoolean writersDone = new AtomicBoolean();
        AtomicLong removedWhileWriting = new AtomicLong();
        AtomicLong supersededRemoved = new AtomicLong();
        AtomicInteger replays = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(writers + 2);
        try {
            // when four writers append keyed (and some unkeyed) records, a compactor runs over and over, and a reader
            // replays the log, until each has done its share while the others were at work
            List<Future<?>> writing = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String stream = "writer-" + w;
                int writer = w;
                writing.add(threads.submit(() -> {
                    long version = 0;
                    for (int i = 0; i < maxAppendsPerWriter
                            && (i < minAppendsPerWriter || removedWhileWriting.get() == 0 || replays.get() < 3); i++) {
                        NewEvent keyed = profile("c" + ((i * 5 + writer) % keys), stream + "-" + i);
                        List<NewEvent> events = i % 5 == 0 ? List.of(keyed, deposit(stream, i)) : List.of(keyed);
                        AppendResult result = store.append(stream, ExpectedVersion.exactly(version), events);
                        version = result.streamVersion();
                        for (int e = 0; e < events.size(); e++) {
                            written.add(new Written(result.fromOffset() + e, events.get(e)));
                        }
                    }
                    return null;
                }));
            }
            Future<?> compacting = threads.submit(() -> {
                while (!writersDone.get()) {
                    CompactionResult result = compactor.compact();
                    assertThat(result.skipped()).as("the only compactor was skipped").isFalse();
                    assertThat(result.tombstonesRemoved()).isZero();
                    removedWhileWriting.addAndGet(result.totalRemoved());
                    supersededRemoved.addAndGet(result.supersededRemoved());
                }
                return null;
            });
            Future<?> replaying = threads.submit(() -> {
                while (!writersDone.get()) {
                    List<LogRecord> replay = store.streamLog(0).toList();
                    assertThat(replay).extracting(LogRecord::offset).isSorted().doesNotHaveDuplicates();
                    assertThat(replay).extracting(LogRecord::compactionKey).containsAll(allKeys);
                    replay.forEach(record -> store.codec().decode(record));
                    replays.incrementAndGet();
                }
                return null;
            });
            for (Future<?> writer : writing) {
                writer.get(2, TimeUnit.MINUTES);
            }
            writersDone.set(true);
            compacting.get(1, TimeUnit.MINUTES);
            replaying.get(1, TimeUnit.MINUTES);
        } finally {
            writersDone.set(true);
            threads.shutdownNow();
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }
        CompactionResult last = compactor.compact();
        supersededRemoved.addAndGet(last.supersededRemoved());

        // then compaction did run beside the writers and the reader
        assertThat(removedWhileWriting.get()).isPositive();
        assertThat(replays.get()).isGreaterThanOrEqualTo(3);
        // and what is left is exactly the latest record of each key and every unkeyed record
        Map<String, Written> latestOfKey = new HashMap<>();
        List<Long> expectedOffsets = new ArrayList<>();
        for (Written w : written) {
            String key = w.event().compactionKey();
            if (key == null) {
                expectedOffsets.add(w.offset());
            } else {
                latestOfKey.merge(key, w, (a, b) -> a.offset() > b.offset() ? a : b);
            }
        }
        latestOfKey.values().forEach(w -> expectedOffsets.add(w.offset()));
        List<LogRecord> replay = store.streamLog(0).toList();
        assertThat(replay).extracting(LogRecord::offset)
                .containsExactlyElementsOf(expectedOffsets.stream().sorted().toList());
        Map<Long, Object> expectedPayloads = new HashMap<>();
        written.forEach(w -> expectedPayloads.put(w.offset(), w.event().payload()));
        assertThat(replay).allSatisfy(record ->
                assertThat(store.codec().decode(record)).isEqualTo(expectedPayloads.get(record.offset())));
        // every offset ever handed out is accounted for: written densely, and each removal was counted once
        assertThat(written).extracting(Written::offset).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, store.head()).boxed().toList());
        long keyedWritten = written.stream().filter(w -> w.event().compactionKey() != null).count();
        assertThat(supersededRemoved.get()).isEqualTo(keyedWritten - keys);
        assertThat(last.compactedThrough()).isEqualTo(store.head());
    }

    @Test
    void aSecondCompactorIsSkippedWhileAnotherHoldsTheLock() throws SQLException {
        // given superseded records and another compactor holding the lock
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."));
        try (Connection other = dataSource.getConnection(); Statement statement = other.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + COMPACTION_LOCK_KEY + ")");

            // when
            CompactionResult result = compactor.compact();

            // then it gives way without touching the log
            assertThat(result.skipped()).isTrue();
            assertThat(result.totalRemoved()).isZero();
            assertThat(result.compactedThrough()).isZero();
            assertThat(logOffsets()).containsExactly(1L, 2L);
            assertThat(sql.queryLong("SELECT compacted_through FROM kappa_compaction")).isZero();

            statement.execute("SELECT pg_advisory_unlock(" + COMPACTION_LOCK_KEY + ")");
        }
        // and once the lock is free, the next run does the work
        assertThat(compactor.compact()).isEqualTo(new CompactionResult(1, 0, 2, false));
    }

    @Test
    void aCompactorReleasesItsLockWhenItIsDone() throws SQLException {
        // given a compaction that ran
        append("customer-1", profile("c1", "Ada"));
        compactor.compact();

        // when another session tries the lock, then it gets it
        try (Connection other = dataSource.getConnection(); Statement statement = other.createStatement()) {
            try (var rs = statement.executeQuery("SELECT pg_try_advisory_lock(" + COMPACTION_LOCK_KEY + ")")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            statement.execute("SELECT pg_advisory_unlock(" + COMPACTION_LOCK_KEY + ")");
        }
    }

    @Test
    void theStreamVersionIsUnaffectedWhenCompactionRemovesTheStreamsLatestRecord() {
        // given a stream whose records are all superseded by another stream's
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."));   // customer-1 at version 2
        append("crm-import", profile("c1", "Ada Lovelace"));

        // when
        compactor.compact();

        // then the stream keeps its version, and appends check against it
        assertThat(store.readStream("customer-1", 1)).isEmpty();
        assertThat(store.streamVersion("customer-1")).isEqualTo(2);
        AppendResult next = store.append("customer-1", ExpectedVersion.exactly(2), List.of(deposit("c1", 1)));
        assertThat(next.streamVersion()).isEqualTo(3);
    }

    @Test
    void appendingAfterCompactionContinuesWithDenseOffsetsAboveTheHead() {
        // given a log whose head records compaction removed altogether
        append("account-a", deposit("a", 1));                              // 1
        append("customer-1", profile("c1", "Ada"), erased("c1"));          // 2, 3
        clock.advance(RETENTION.plusSeconds(1));
        assertThat(compactor.compact()).isEqualTo(new CompactionResult(1, 1, 3, false));
        assertThat(logOffsets()).containsExactly(1L);

        // when
        AppendResult result = store.append("account-b", ExpectedVersion.noStream(),
                List.of(deposit("b", 1), deposit("b", 2), deposit("b", 3)));

        // then offsets continue from the head, not from the highest surviving record
        assertThat(result).isEqualTo(new AppendResult("account-b", 4, 6, 3));
        assertThat(store.head()).isEqualTo(6);
        assertThat(logOffsets()).containsExactly(1L, 4L, 5L, 6L);
        assertThat(compactor.compact()).isEqualTo(new CompactionResult(0, 0, 6, false));
    }

    @Test
    void noRunIsKnownBeforeTheLogWasEverCompacted() {
        // given a log with superseded records, never compacted
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."));

        // when, then
        assertThat(compactor.lastRun()).isEmpty();
    }

    @Test
    void theLastRunKeepsWhenItFinishedAndWhatItRemoved() {
        // given a run that removed superseded records and an expired tombstone
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."));    // 1, 2
        append("customer-2", profile("c2", "Bob"), erased("c2"));               // 3, 4
        clock.advance(RETENTION.plusSeconds(1));
        CompactionResult result = compactor.compact();

        // when
        Optional<CompactionRun> run = compactor.lastRun();

        // then it is that run, finished at the store's time, by this process (its connections name no application)
        assertThat(result).isEqualTo(new CompactionResult(2, 1, 4, false));
        assertThat(run).hasValueSatisfying(last -> {
            assertThat(last.result()).isEqualTo(result);
            assertThat(last.finishedAt()).isEqualTo(clock.instant());
            assertThat(last.took()).isGreaterThanOrEqualTo(Duration.ZERO);
            assertThat(last.instanceId()).isEqualTo(ManagementFactory.getRuntimeMXBean().getName());
        });
    }

    @Test
    void aSkippedRunLeavesTheLastRunAsItWas() throws SQLException {
        // given a run that did its work
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."));
        compactor.compact();
        CompactionRun before = compactor.lastRun().orElseThrow();
        append("customer-1", profile("c1", "Ada Lovelace"));
        clock.advance(Duration.ofMinutes(5));

        // when a run is skipped because another compactor holds the lock
        try (Connection other = dataSource.getConnection(); Statement statement = other.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + COMPACTION_LOCK_KEY + ")");
            assertThat(compactor.compact().skipped()).isTrue();
            statement.execute("SELECT pg_advisory_unlock(" + COMPACTION_LOCK_KEY + ")");
        }

        // then the last run is still the one that did its work
        assertThat(compactor.lastRun()).contains(before);
    }

    @Test
    void everyStoreOnTheDatabaseSeesTheRunAnotherMade() throws SQLException {
        // given a second store on the same database, whose connections name themselves
        PGSimpleDataSource named = new PGSimpleDataSource();
        try (Connection connection = dataSource.getConnection()) {
            named.setURL(connection.getMetaData().getURL());
        }
        named.setUser(EmbeddedPostgresServer.SUPERUSER);
        named.setApplicationName("instance-b");
        EventStore other = closeAfterTest(EventStore.builder(named).codec(TestEvents.codec()).clock(clock)
                .notifications(false).build());
        append("customer-1", profile("c1", "Ada"), profile("c1", "Ada L."), profile("c1", "Ada Lovelace"));

        // when the other store compacts
        CompactionResult result = other.compactor().compact();

        // then this store's compactor sees that run, and who made it
        assertThat(compactor.lastRun()).hasValueSatisfying(run -> {
            assertThat(run.result()).isEqualTo(result).isEqualTo(new CompactionResult(2, 0, 3, false));
            assertThat(run.instanceId()).isEqualTo("instance-b");
        });
        assertThat(other.compactor().lastRun()).isEqualTo(compactor.lastRun());
    }

    @Test
    void migratingFromVersion5KeepsHowFarCompactionGotAndKnowsNoRunYet() {
        try (TestDatabase database = TestDatabase.create()) {
            // given a database at schema version 5, compacted through offset 7
            DataSource old = database.dataSource();
            Flyway.configure().dataSource(old).table(KappaSchema.HISTORY_TABLE)
                    .locations("classpath:kappa/db/eventstore").baselineOnMigrate(true).baselineVersion("0")
                    .target("5").load().migrate();
            new SqlQueries(old).execute("UPDATE kappa_compaction SET compacted_through = 7");

            // when the schema is migrated to the current version
            assertThat(KappaSchema.migrate(old)).isEqualTo(1);

            // then compaction goes on from where it was, and no run is known until the next one
            assertThat(new SqlQueries(old).queryLong("SELECT compacted_through FROM kappa_compaction")).isEqualTo(7);
            try (EventStore migrated = EventStore.builder(old).codec(TestEvents.codec()).clock(clock).build()) {
                assertThat(migrated.compactor().lastRun()).isEmpty();
                CompactionResult result = migrated.compactor().compact();
                assertThat(migrated.compactor().lastRun()).map(CompactionRun::result).contains(result);
            }
        }
    }

    private record Written(long offset, NewEvent event) {
    }

    private static NewEvent profile(String customer, String name) {
        return NewEvent.of(new ProfileChanged(customer, name)).withCompactionKey("customer:" + customer);
    }

    private static NewEvent erased(String customer) {
        return NewEvent.tombstone("customer:" + customer, new ProfileErased(customer));
    }

    private AppendResult append(String streamId, NewEvent... events) {
        return store.append(streamId, ExpectedVersion.any(), List.of(events));
    }

    private List<Long> logOffsets() {
        return sql.queryLongs("SELECT log_offset FROM kappa_log ORDER BY log_offset");
    }

    private List<Object> replayedEvents() {
        return store.streamLog(0).map(record -> store.codec().decode(record)).toList();
    }
}
