package dev.kappa.eventstore;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.TestEvents.Deposited;
import dev.kappa.eventstore.TestEvents.Note;
import dev.kappa.eventstore.TestEvents.Unregistered;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AppendIntegrationTest extends LogIntegrationTest {

    AppendIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    void configure(EventStoreBuilder builder) {
        builder.maxPayloadBytes(1_000);
    }

    @Test
    void appendAssignsOffsetsAndVersionsAndKeepsEverythingAboutTheEvent() {
        UUID eventId = UUID.randomUUID();
        NewEvent described = deposit("a", 10).withEventId(eventId).withCorrelationId("corr-1")
                .withCausationId("cmd-7").withMetadata(Map.of("user", "ada", "ip", "10.0.0.1"));

        AppendResult first = store.append("account-a", ExpectedVersion.noStream(),
                List.of(described, deposit("a", 20)));
        AppendResult second = store.append("account-b", ExpectedVersion.noStream(), List.of(deposit("b", 5)));

        assertThat(first).isEqualTo(new AppendResult("account-a", 1, 2, 2));
        assertThat(second).isEqualTo(new AppendResult("account-b", 3, 3, 1));
        assertThat(store.head()).isEqualTo(3);
        List<LogRecord> stream = store.readStream("account-a", 1);
        assertThat(stream).extracting(LogRecord::offset, LogRecord::streamVersion, LogRecord::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1L, "Deposited"),
                        org.assertj.core.groups.Tuple.tuple(2L, 2L, "Deposited"));
        LogRecord record = stream.get(0);
        assertThat(store.codec().decode(record)).isEqualTo(new Deposited("a", 10));
        assertThat(record.metadata()).isEqualTo(new EventMetadata(eventId, "corr-1", "cmd-7", NOW,
                Map.of("user", "ada", "ip", "10.0.0.1")));
        assertThat(record.compactionKey()).isNull();
        assertThat(record.tombstone()).isFalse();
        assertThat(stream.get(1).metadata().entries()).isEmpty();
    }

    @Test
    void exactExpectedVersionAppendsWhenTheStreamIsThere() {
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));

        AppendResult result = store.append("s", ExpectedVersion.exactly(1), List.of(deposit("s", 2), deposit("s", 3)));

        assertThat(result.streamVersion()).isEqualTo(3);
        assertThat(store.streamVersion("s")).isEqualTo(3);
        assertThat(store.streamVersion("never-written")).isZero();
    }

    @Test
    void anyVersionAppendsToNewAndExistingStreams() {
        assertThat(store.append("s", ExpectedVersion.any(), List.of(deposit("s", 1))).streamVersion()).isEqualTo(1);
        assertThat(store.append("s", ExpectedVersion.any(), List.of(deposit("s", 1))).streamVersion()).isEqualTo(2);
    }

    @Test
    void staleExpectedVersionIsRejectedWithStreamExpectedAndActualVersionAndWritesNothing() {
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1), deposit("s", 2)));

        ConcurrencyException conflict = catchThrowableOfType(ConcurrencyException.class,
                () -> store.append("s", ExpectedVersion.exactly(1), List.of(deposit("s", 3))));

        assertThat(conflict.streamId()).isEqualTo("s");
        assertThat(conflict.expectedVersion()).isEqualTo(ExpectedVersion.exactly(1));
        assertThat(conflict.actualVersion()).isEqualTo(2);
        assertThat(conflict).hasMessageContaining("'s'").hasMessageContaining("version 1")
                .hasMessageContaining("at version 2");
        assertThat(store.head()).isEqualTo(2);
        assertThat(store.readStream("s", 1)).hasSize(2);
    }

    @Test
    void noStreamIsRejectedWhenTheStreamExists() {
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1)));

        assertThatThrownBy(() -> store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 2))))
                .isInstanceOfSatisfying(ConcurrencyException.class, e -> assertThat(e.actualVersion()).isEqualTo(1));
    }

    @Test
    void appendAllWritesEveryStreamOrNone() {
        store.append("b", ExpectedVersion.noStream(), List.of(deposit("b", 1)));

        List<AppendResult> results = store.append(AppendRequest.of(List.of(
                StreamAppend.of("a", ExpectedVersion.noStream(), deposit("a", 1), deposit("a", 2)),
                StreamAppend.of("b", ExpectedVersion.exactly(1), deposit("b", 2))))).results();

        assertThat(results).containsExactly(new AppendResult("a", 2, 3, 2), new AppendResult("b", 4, 4, 2));

        ConcurrencyException conflict = catchThrowableOfType(ConcurrencyException.class, () -> store.append(
                AppendRequest.of(List.of(
                StreamAppend.of("c", ExpectedVersion.noStream(), deposit("c", 1)),
                StreamAppend.of("b", ExpectedVersion.exactly(1), deposit("b", 3))))).results());

        assertThat(conflict.streamId()).isEqualTo("b");
        assertThat(store.streamVersion("c")).isZero();
        assertThat(store.head()).isEqualTo(4);
    }

    @Test
    void appendAsyncCompletesWithTheResultOrTheConflict() throws Exception {
        CompletableFuture<AppendResult> created = store.appendAsync(AppendRequest.to("s", ExpectedVersion.noStream(),
                List.of(deposit("s", 1)))).thenApply(Appended::result);
        assertThat(created.get().toOffset()).isEqualTo(1);

        CompletableFuture<AppendResult> stale = store.appendAsync(AppendRequest.to("s", ExpectedVersion.noStream(),
                List.of(deposit("s", 1)))).thenApply(Appended::result);

        assertThatThrownBy(stale::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ConcurrencyException.class);
    }

    @Test
    void badInputFailsBeforeAnythingIsWritten() {
        String tooLong = "x".repeat(StreamAppend.MAX_STREAM_ID_LENGTH + 1);
        List<NewEvent> one = List.of(deposit("a", 1));

        assertThatThrownBy(() -> store.append(" ", ExpectedVersion.any(), one))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stream id must not be blank");
        assertThatThrownBy(() -> store.append(null, ExpectedVersion.any(), one))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stream id must not be null");
        assertThatThrownBy(() -> store.append(tooLong, ExpectedVersion.any(), one))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 200 characters but was 201");
        assertThatThrownBy(() -> store.append("a\nb", ExpectedVersion.any(), one))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
        assertThatThrownBy(() -> store.append("a", ExpectedVersion.any(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one event");
        assertThatThrownBy(() -> store.append("a", ExpectedVersion.exactly(-1), one))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative but was -1");
        assertThatThrownBy(() -> store.append("a", ExpectedVersion.any(),
                List.of(deposit("a", 1), NewEvent.of(new Unregistered("x")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event 1 for stream 'a'")
                .hasMessageContaining("not registered");
        assertThatThrownBy(() -> store.append("a", ExpectedVersion.any(),
                List.of(NewEvent.of(new Note("y".repeat(2_000))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the limit of 1000 bytes");
        assertThatThrownBy(() -> store.append("a", ExpectedVersion.any(), List.of(NewEvent.of(new Note("nul\u0000")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL character");
        assertThatThrownBy(() -> store.append(AppendRequest.of(List.of(
                StreamAppend.of("a", ExpectedVersion.any(), deposit("a", 1)),
                StreamAppend.of("a", ExpectedVersion.any(), deposit("a", 2))))).results())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stream 'a' appears twice");
        assertThatThrownBy(() -> store.append(AppendRequest.of(List.of())).results())
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.head()).isZero();
        assertThat(sql.queryLong("SELECT count(*) FROM kappa_log")).isZero();
    }

    @Test
    void payloadSizeIsCountedInUtf8Bytes() {
        // 400 three-byte characters: 1,200 bytes of JSON, though only about 400 characters
        NewEvent wide = NewEvent.of(new Note("€".repeat(400)));
        NewEvent narrow = NewEvent.of(new Note("e".repeat(400)));

        assertThatThrownBy(() -> store.append("a", ExpectedVersion.any(), List.of(wide)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over the limit");
        assertThat(store.append("a", ExpectedVersion.any(), List.of(narrow)).toOffset()).isEqualTo(1);
    }

    @Test
    void readingTheLogPagesThroughItInOffsetOrder() {
        for (int i = 0; i < 25; i++) {
            store.append("s-" + (i % 3), ExpectedVersion.any(), List.of(deposit("x", i)));
        }

        assertThat(store.readLog(0, 10)).extracting(LogRecord::offset).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(store.readLog(20, 10)).extracting(LogRecord::offset).containsExactly(21L, 22L, 23L, 24L, 25L);
        assertThat(store.readLog(25, 10)).isEmpty();
        assertThat(store.streamLog(3)).extracting(LogRecord::offset)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(4, 25).boxed().toList());
        assertThat(store.readStream("s-1", 3, 2)).extracting(LogRecord::streamVersion).containsExactly(3L, 4L);
    }

    @Test
    void streamLogHoldsOnePageAtATime() {
        EventStore paged = openStore(builder -> builder.readPageSize(7));
        for (int i = 0; i < 30; i++) {
            paged.append("s", ExpectedVersion.any(), List.of(deposit("s", i)));
        }
        List<Long> offsets = paged.streamLog(0).map(LogRecord::offset).toList();

        assertThat(offsets).hasSize(30).isSorted().doesNotHaveDuplicates();
        // 30 records in pages of 7: five reads, the last one short
        assertThat(paged.streamLog(0).limit(8).count()).isEqualTo(8);
    }

    @Test
    void invalidReadArgumentsAreRejected() {
        assertThatThrownBy(() -> store.readStream("s", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 but was 0");
        assertThatThrownBy(() -> store.readLog(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.readLog(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedStoreRefusesAppends() {
        store.close();

        assertThatThrownBy(() -> store.append("s", ExpectedVersion.any(), List.of(deposit("s", 1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
