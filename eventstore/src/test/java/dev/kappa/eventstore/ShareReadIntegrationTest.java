package dev.kappa.eventstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.postgres.embedded.junit.TestDatabase;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link EventReader#readShare}: a segment's share of the log, and how far each read got. */
class ShareReadIntegrationTest extends LogIntegrationTest {

    ShareReadIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void theSharesTogetherHoldEveryRecordOnceInOffsetOrderEachOnlyItsOwnStreams() {
        // given 50 streams of 6 events, interleaved, appended in batches large enough for COPY and small ones
        appendRounds(50, 6);
        long head = store.head();

        // when each of 3 shares is read in pages of 7
        List<LogRecord> all = new ArrayList<>();
        for (int segment = 0; segment < 3; segment++) {
            LogShare share = LogShare.of(segment, 3);
            List<LogRecord> read = readAll(share, 0, 7);

            // then each holds only its streams, in offset order, and exactly the log's records of those streams
            assertThat(read).allSatisfy(record -> assertThat(share.contains(record.streamId())).isTrue());
            assertThat(read).extracting(LogRecord::offset).isSorted().doesNotHaveDuplicates();
            assertThat(read).extracting(LogRecord::offset).containsExactlyElementsOf(
                    store.readLog(0, 10_000).stream().filter(r -> share.contains(r.streamId()))
                            .map(LogRecord::offset).toList());
            all.addAll(read);
        }
        assertThat(all).hasSize((int) head);
        assertThat(all).extracting(LogRecord::offset).doesNotHaveDuplicates();
    }

    @Test
    void everyRecordStoresItsStreamsHashAsLogShareComputesIt() {
        // given records written one by one and in a batch that goes by COPY
        store.append("Zoë", ExpectedVersion.any(), List.of(deposit("Zoë", 1)));
        appendRounds(100, 1);

        // then each row's stored hash is the CRC-32 of its stream id's UTF-8 bytes
        List<Map<String, Object>> rows = new JdbcTemplate(dataSource)
                .queryForList("SELECT stream_id, stream_hash FROM kappa_log");
        assertThat(rows).hasSize(101).allSatisfy(row -> assertThat(row.get("stream_hash"))
                .isEqualTo(LogShare.streamHash((String) row.get("stream_id"))));
        assertThat(LogShare.streamHash("Zoë")).isEqualTo(1_739_342_378L);
    }

    @Test
    void aShareWithNoRecordsGetsThroughToTheHead() {
        // given a log whose streams all belong to segment 0 of 2
        List<String> streams = streamsOf(LogShare.of(0, 2), 5);
        for (String stream : streams) {
            store.append(stream, ExpectedVersion.any(), List.of(deposit(stream, 1), deposit(stream, 2)));
        }

        // when segment 1 is read
        SharePage page = store.readShare(LogShare.of(1, 2), 0, 100);

        // then it holds nothing, but got through to the head
        assertThat(page.records()).isEmpty();
        assertThat(page.throughOffset()).isEqualTo(10);
        assertThat(page.head()).isEqualTo(10);
        assertThat(page.reachedHead()).isTrue();
    }

    @Test
    void aSparseShareIsReadInBoundedStretchesThatEachMoveOn() {
        // given 20 records of segment 0 of 2, then one of segment 1
        String other = streamsOf(LogShare.of(0, 2), 1).get(0);
        String mine = streamsOf(LogShare.of(1, 2), 1).get(0);
        for (int i = 0; i < 20; i++) {
            store.append(other, ExpectedVersion.any(), List.of(deposit(other, i)));
        }
        store.append(mine, ExpectedVersion.any(), List.of(deposit(mine, 1)));

        // when segment 1 is read one record at a time (a stretch of 4 offsets per read: limit x segments x 2)
        SharePage first = store.readShare(LogShare.of(1, 2), 0, 1);

        // then the first read found nothing, yet got through its stretch, short of the head
        assertThat(first.records()).isEmpty();
        assertThat(first.throughOffset()).isEqualTo(4);
        assertThat(first.reachedHead()).isFalse();
        // and reading on from each through offset reaches the record, then the head
        List<SharePage> pages = new ArrayList<>();
        long after = first.throughOffset();
        SharePage page;
        do {
            page = store.readShare(LogShare.of(1, 2), after, 1);
            pages.add(page);
            after = page.throughOffset();
        } while (!page.reachedHead());
        assertThat(pages).flatExtracting(SharePage::records).extracting(LogRecord::offset).containsExactly(21L);
        assertThat(page.throughOffset()).isEqualTo(21);
        assertThat(pages).hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void aFullPageGetsThroughToItsLastRecordOnly() {
        // given 10 records of one stream
        String stream = streamsOf(LogShare.of(1, 2), 1).get(0);
        store.append(stream, ExpectedVersion.any(), List.of(deposit(stream, 1), deposit(stream, 2),
                deposit(stream, 3), deposit(stream, 4)));
        appendRounds(10, 1);

        // when its share is read three records at a time
        SharePage page = store.readShare(LogShare.of(1, 2), 0, 3);

        // then the page stops at its third record, which is not the head
        assertThat(page.records()).extracting(LogRecord::offset).containsExactly(1L, 2L, 3L);
        assertThat(page.throughOffset()).isEqualTo(3);
        assertThat(page.reachedHead()).isFalse();
    }

    @Test
    void atAndBeyondTheHeadAReadHoldsNothingAndStaysWhereItIs() {
        appendRounds(4, 2);

        SharePage atHead = store.readShare(LogShare.of(0, 2), 8, 10);
        SharePage beyond = store.readShare(LogShare.of(0, 2), 20, 10);
        SharePage empty = openStore(b -> { }).readShare(LogShare.of(1, 4), 0, 10);

        assertThat(atHead.records()).isEmpty();
        assertThat(atHead.throughOffset()).isEqualTo(8);
        assertThat(atHead.reachedHead()).isTrue();
        assertThat(beyond.records()).isEmpty();
        assertThat(beyond.throughOffset()).isEqualTo(20);
        assertThat(beyond.reachedHead()).isTrue();
        assertThat(empty.head()).isEqualTo(8);
    }

    @Test
    void rowsWrittenWithoutTheHashAreSharedByTheStreamId() {
        // given records whose hash an older appender did not store
        appendRounds(30, 2);
        sql.execute("UPDATE kappa_log SET stream_hash = NULL WHERE log_offset % 2 = 0");

        // then each share still holds exactly its streams' records
        for (int segment = 0; segment < 4; segment++) {
            LogShare share = LogShare.of(segment, 4);
            assertThat(readAll(share, 0, 5)).extracting(LogRecord::offset).containsExactlyElementsOf(
                    store.readLog(0, 1_000).stream().filter(r -> share.contains(r.streamId()))
                            .map(LogRecord::offset).toList());
        }
    }

    @Test
    void aShareReaderPagingWhileWritersAppendMissesNothingAndReadsNothingTwice() throws Exception {
        // given 6 writers appending small and large batches to many streams
        int writers = 6;
        int rounds = 60;
        LogShare share = LogShare.of(1, 3);
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(threads.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        List<StreamAppend> appends = new ArrayList<>();
                        int streams = round % 5 == 0 ? 80 : 1 + round % 4;
                        for (int s = 0; s < streams; s++) {
                            String stream = "w" + writer + "-s" + ((round * 7 + s) % 97);
                            appends.add(StreamAppend.of(stream, ExpectedVersion.any(), deposit(stream, round)));
                        }
                        store.append(AppendRequest.of(appends));
                    }
                    return null;
                }));
            }

            // when a reader pages through the share meanwhile, from each page's through offset, until the writers
            // are done and it has reached the head
            List<LogRecord> read = new ArrayList<>();
            long after = 0;
            boolean reachedFinalHead = false;
            while (!reachedFinalHead) {
                boolean wereDone = done.stream().allMatch(Future::isDone);
                SharePage page = store.readShare(share, after, 13);
                read.addAll(page.records());
                assertThat(page.throughOffset()).isGreaterThanOrEqualTo(after);
                after = page.throughOffset();
                reachedFinalHead = wereDone && page.reachedHead();
            }
            for (Future<?> writer : done) {
                writer.get(1, TimeUnit.MINUTES);
            }

            // then it read every record of the share in the final log, once each, in order
            List<Long> expected = store.readLog(0, 1_000_000).stream().filter(r -> share.contains(r.streamId()))
                    .map(LogRecord::offset).toList();
            assertThat(expected).isNotEmpty();
            assertThat(read).extracting(LogRecord::offset).containsExactlyElementsOf(expected);
            assertThat(after).isEqualTo(store.head());
        } finally {
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void migratingFillsTheHashOfRecordsWrittenBeforeIt() {
        try (TestDatabase database = TestDatabase.create()) {
            // given a log at schema version 4 with records in it
            DataSource old = database.dataSource();
            Flyway.configure().dataSource(old).table(KappaSchema.HISTORY_TABLE)
                    .locations("classpath:kappa/db/eventstore").baselineOnMigrate(true).baselineVersion("0")
                    .target("4").load().migrate();
            new JdbcTemplate(old).execute("""
                    INSERT INTO kappa_log (log_offset, stream_id, stream_version, event_type, payload, event_id,
                                           recorded_at)
                    SELECT g, 'stream-' || g, 1, 'Note', '{}', gen_random_uuid(), now()
                      FROM generate_series(1, 50) g;
                    INSERT INTO kappa_log (log_offset, stream_id, stream_version, event_type, payload, event_id,
                                           recorded_at)
                    VALUES (51, 'Zoë', 1, 'Note', '{}', gen_random_uuid(), now());
                    UPDATE kappa_log_head SET head = 51""");

            // when the schema is migrated to the current version (V5 and the ones after it)
            assertThat(KappaSchema.migrate(old)).isEqualTo(2);

            // then every record has its stream's hash
            List<Map<String, Object>> rows = new JdbcTemplate(old)
                    .queryForList("SELECT stream_id, stream_hash FROM kappa_log");
            assertThat(rows).hasSize(51).allSatisfy(row -> assertThat(row.get("stream_hash"))
                    .isEqualTo(LogShare.streamHash((String) row.get("stream_id"))));
        }
    }

    @Test
    void badArgumentsAreRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> LogShare.of(2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segment must be between 0 and 1 (of 2 segments) but was 2");
        assertThatThrownBy(() -> LogShare.of(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segments must be at least 1 but was 0");
        assertThatThrownBy(() -> store.readShare(LogShare.of(0, 2), -1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("afterOffset must be 0 or more");
        assertThatThrownBy(() -> store.readShare(LogShare.of(0, 2), 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be at least 1 but was 0");
    }

    /** Appends {@code rounds} rounds of one event to each of {@code streams} streams, a round per append call. */
    private void appendRounds(int streams, int rounds) {
        for (int round = 0; round < rounds; round++) {
            List<StreamAppend> appends = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                String stream = "account-" + s;
                appends.add(StreamAppend.of(stream, ExpectedVersion.any(), deposit(stream, round)));
            }
            store.append(AppendRequest.of(appends));
        }
    }

    private List<LogRecord> readAll(LogShare share, long after, int limit) {
        List<LogRecord> records = new ArrayList<>();
        SharePage page;
        do {
            page = store.readShare(share, after, limit);
            records.addAll(page.records());
            after = page.throughOffset();
        } while (!page.reachedHead());
        return records;
    }

    private static List<String> streamsOf(LogShare share, int count) {
        List<String> streams = new ArrayList<>();
        for (int i = 0; streams.size() < count; i++) {
            if (share.contains("stream-" + i)) {
                streams.add("stream-" + i);
            }
        }
        return streams;
    }
}
