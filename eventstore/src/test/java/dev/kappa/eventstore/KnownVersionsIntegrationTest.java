package dev.kappa.eventstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.TestEvents.Note;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The group committer remembers the versions of the streams it wrote and writes on them without reading them again
 * while the head has not moved; large batches go to the log by COPY. Neither may change what an append means.
 */
class KnownVersionsIntegrationTest extends LogIntegrationTest {

    private static final int STREAMS = 100;

    KnownVersionsIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void anAppendByAnotherStoreIsSeenThoughThisWriterKnewTheStream() {
        // given this store's writer knows "s" at version 1, and another process then appends to it
        EventStore otherProcess = openStore(builder -> { });
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));
        otherProcess.append("s", ExpectedVersion.exactly(1), List.of(deposit("s", 2)));

        // when this store appends on the version it knew
        ConcurrencyException conflict = catchThrowableOfType(ConcurrencyException.class,
                () -> store.append("s", ExpectedVersion.exactly(1), List.of(deposit("s", 3))));

        // then it conflicts with the version the other wrote, and appends on that one afterwards
        assertThat(conflict.actualVersion()).isEqualTo(2);
        assertThat(store.append("s", ExpectedVersion.exactly(2), List.of(deposit("s", 3))))
                .isEqualTo(new AppendResult("s", 3, 3, 3));
        assertThat(otherProcess.append("s", ExpectedVersion.exactly(3), List.of(deposit("s", 4))))
                .isEqualTo(new AppendResult("s", 4, 4, 4));
        assertThat(store.streamVersion("s")).isEqualTo(4);
    }

    @Test
    void aConflictOnAKnownVersionNamesTheActualVersion() {
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));

        ConcurrencyException conflict = catchThrowableOfType(ConcurrencyException.class,
                () -> store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 2))));

        assertThat(conflict.actualVersion()).isEqualTo(1);
        assertThat(store.head()).isEqualTo(1);
    }

    @Test
    void largeBatchesKeepEveryCharacterAndNumberOffsetsDensely() {
        // text that COPY's format must escape: tabs, newlines, carriage returns, backslashes, and \N itself
        String awkward = "tab\there, line\nbreak, cr\rhere, back\\slash, \\N, quote\" and ünïcödé";
        List<StreamAppend> first = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            first.add(StreamAppend.of("stream-" + i, ExpectedVersion.noStream(), NewEvent.of(new Note(awkward + i))
                    .withCorrelationId("corr\t" + i).withCausationId("cause\\" + i)
                    .withMetadata(Map.of("note", awkward)).withCompactionKey("key\n" + i)));
        }
        List<StreamAppend> second = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            second.add(StreamAppend.of("stream-" + i, ExpectedVersion.exactly(1), deposit("a", i)));
        }

        store.append(AppendRequest.of(first)).results();
        List<AppendResult> results = store.append(AppendRequest.of(second)).results();

        assertThat(results.get(STREAMS - 1)).isEqualTo(new AppendResult("stream-" + (STREAMS - 1), 2 * STREAMS,
                2 * STREAMS, 2));
        assertThat(store.head()).isEqualTo(2 * STREAMS);
        assertThat(store.readLog(0, 3 * STREAMS)).extracting(LogRecord::offset)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 2 * STREAMS).boxed().toList());
        LogRecord record = store.readStream("stream-7", 1).get(0);
        assertThat(store.codec().decode(record)).isEqualTo(new Note(awkward + 7));
        assertThat(record.metadata().correlationId()).isEqualTo("corr\t7");
        assertThat(record.metadata().causationId()).isEqualTo("cause\\7");
        assertThat(record.metadata().entries()).isEqualTo(Map.of("note", awkward));
        assertThat(record.compactionKey()).isEqualTo("key\n7");
        assertThat(store.streamVersion("stream-7")).isEqualTo(2);
    }
}
